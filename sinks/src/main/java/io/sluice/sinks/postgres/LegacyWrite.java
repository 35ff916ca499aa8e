package io.sluice.sinks.postgres;

import io.sluice.sinks.core.BatchWriter;
import io.sluice.sinks.core.StoreWrite;
import io.sluice.transforms.legacy.LegacyRecord;
import io.sluice.transforms.legacy.TargetRow;
import io.sluice.transforms.legacy.TargetTable;
import io.sluice.transforms.legacy.TargetTables;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.Stage;
import io.sluice.transforms.retry.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes backfilled records to PostgreSQL through the {@link StoreWrite} core: batched upserts on
 * each table's natural or derived key that touch a row only when its values differ, so a re-run
 * rewrites nothing and counts every row as unchanged. A batch is one transaction; transient errors
 * are retried under the {@link RetryPolicy}; when a batch still fails, its records are written one
 * transaction each ({@link TransactionalBatchWriter}), so one bad record becomes one failure and
 * the others land. A record's rows (a report and its questions) are never split.
 *
 * <pre>{@code
 * PCollection<Failure> unstored = records.apply(LegacyWrite.create().withDatabase(database))
 *     .failures();
 * }</pre>
 */
public final class LegacyWrite
    extends PTransform<
        PCollection<LegacyRecord>, WithFailures.Result<PCollection<LegacyRecord>, Failure>> {
  private final DatabaseConfig database;
  private final int batchSize;
  private final RetryPolicy retry;

  private LegacyWrite(DatabaseConfig database, int batchSize, RetryPolicy retry) {
    this.database = database;
    this.batchSize = batchSize;
    this.retry = retry;
  }

  public static LegacyWrite create() {
    return new LegacyWrite(null, 5_000, RetryPolicy.DEFAULT);
  }

  public LegacyWrite withDatabase(DatabaseConfig newDatabase) {
    if (newDatabase == null) {
      throw new IllegalArgumentException("database must not be null");
    }
    return new LegacyWrite(newDatabase, batchSize, retry);
  }

  /**
   * Rows per transaction; a record's rows are never split, so a batch may pass it by one record.
   */
  public LegacyWrite withBatchSize(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + rows);
    }
    return new LegacyWrite(database, rows, retry);
  }

  public LegacyWrite withRetry(RetryPolicy newRetry) {
    if (newRetry == null) {
      throw new IllegalArgumentException("retry must not be null");
    }
    return new LegacyWrite(database, batchSize, newRetry);
  }

  @Override
  public WithFailures.Result<PCollection<LegacyRecord>, Failure> expand(
      PCollection<LegacyRecord> records) {
    if (database == null) {
      throw new IllegalStateException("withDatabase(…) is required");
    }
    return records.apply(
        StoreWrite.of(LegacyWrite.class, "records", new Writers(this))
            .withMaxRecords(Integer.MAX_VALUE)
            .withMaxWeight(record -> (long) record.rows().size(), batchSize));
  }

  /** Opens, on the worker, a writer on the JVM's pool for the database. */
  private static final class Writers implements BatchWriter.Factory<LegacyRecord> {
    private final LegacyWrite spec;

    Writers(LegacyWrite spec) {
      this.spec = spec;
    }

    @Override
    public BatchWriter<LegacyRecord> open() {
      RetryingConnection connection =
          new RetryingConnection(
              spec.database, spec.retry, Metrics.counter(LegacyWrite.class, "transaction_retries"));
      return new TransactionalBatchWriter<>(
          connection,
          LegacyWrite::upsert,
          (record, failureClass, message) -> {
            Metrics.counter("backfill " + record.group(), "rows_failed").inc(record.rows().size());
            return Failure.ofUri(record.uri(), Stage.BACKFILL, failureClass, message);
          },
          spec.database);
    }
  }

  /** A row and the source its record came from. */
  private record SourcedRow(TargetRow row, String source) {}

  /**
   * Per group (a legacy store): rows sent, rows that were new or different, and rows older than
   * their table's retention horizon, not written.
   */
  private record Written(Map<String, long[]> byGroup) {}

  private static void count(Written written) {
    written
        .byGroup()
        .forEach(
            (group, figures) -> {
              Metrics.counter("backfill " + group, "rows_written").inc(figures[1]);
              Metrics.counter("backfill " + group, "rows_behind_horizon").inc(figures[2]);
              Metrics.counter("backfill " + group, "rows_unchanged")
                  .inc(figures[0] - figures[1] - figures[2]);
            });
  }

  /**
   * Upserts the records' rows table by table; what it returns counts them, once committed. Rows
   * with the same key (a citation listed twice) would make one statement update a row twice, which
   * PostgreSQL refuses: the last one wins, and the others count as unchanged. Rows older than their
   * table's retention horizon are left out, the horizon held against a retention meanwhile; the
   * month partitions the other rows need are made first.
   */
  private static Runnable upsert(Connection connection, List<LegacyRecord> records)
      throws SQLException {
    Map<String, Instant> horizons = RetentionHorizons.hold(connection);
    Map<String, long[]> byGroup = new HashMap<>();
    Map<String, String> groupOfSource = new HashMap<>();
    Map<String, Map<List<String>, SourcedRow>> rowsByTable = new LinkedHashMap<>();
    for (LegacyRecord record : records) {
      groupOfSource.put(record.source(), record.group());
      long[] figures = byGroup.computeIfAbsent(record.group(), g -> new long[3]);
      figures[0] += record.rows().size();
      for (TargetRow row : record.rows()) {
        TargetTable target = TargetTables.named(row.table());
        if (RetentionHorizons.behind(target, row, horizons.get(target.name()))) {
          figures[2]++;
        } else {
          rowsByTable
              .computeIfAbsent(row.table(), t -> new LinkedHashMap<>())
              .put(row.key(), new SourcedRow(row, record.source()));
        }
      }
    }
    for (Map.Entry<String, Map<List<String>, SourcedRow>> table : rowsByTable.entrySet()) {
      TargetTable target = TargetTables.named(table.getKey());
      Collection<SourcedRow> unique = table.getValue().values();
      List<TargetRow> rows = unique.stream().map(SourcedRow::row).toList();
      List<String> sources = unique.stream().map(SourcedRow::source).toList();
      addMonthPartitions(connection, target, rows);
      try (PreparedStatement upsert = connection.prepareStatement(LegacySql.upsert(target))) {
        LegacySql.bind(upsert, connection, target, rows, sources);
        try (ResultSet changed = upsert.executeQuery()) {
          while (changed.next()) {
            byGroup.get(groupOfSource.get(changed.getString(1)))[1]++;
          }
        }
      }
    }
    Written written = new Written(byGroup);
    return () -> count(written);
  }

  /** The partitions of the rows' months, for a table partitioned by month. */
  private static void addMonthPartitions(
      Connection connection, TargetTable target, List<TargetRow> rows) throws SQLException {
    if (target.timeColumn() == null) {
      return;
    }
    Set<YearMonth> months = new TreeSet<>();
    for (TargetRow row : rows) {
      String time = row.values().get(target.timeIndex());
      if (time != null) {
        months.add(MonthlyPartitions.monthOf(Instant.parse(time)));
      }
    }
    for (YearMonth month : months) {
      MonthlyPartitions.add(connection, target.name(), month);
    }
  }
}
