package io.sluice.sinks.postgres;

import io.sluice.transforms.legacy.LegacyRecord;
import io.sluice.transforms.legacy.TargetRow;
import io.sluice.transforms.legacy.TargetTable;
import io.sluice.transforms.legacy.TargetTables;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Writes backfilled records to PostgreSQL: batched upserts on each table's natural or derived
 * key that touch a row only when its values differ, so a re-run rewrites nothing and counts
 * every row as unchanged. A batch is one transaction; transient errors are retried with backoff;
 * when a batch still fails, its records are written one transaction each, so one bad record
 * becomes one failure and the others land. A record's rows (a report and its questions) are
 * never split.
 *
 * <pre>{@code
 * PCollection<Failure> unstored = records.apply(LegacyWrite.create().withDatabase(database));
 * }</pre>
 */
public final class LegacyWrite extends PTransform<PCollection<LegacyRecord>, PCollection<Failure>> {
  private final DatabaseConfig database;
  private final int batchSize;
  private final int maxRetries;

  private LegacyWrite(DatabaseConfig database, int batchSize, int maxRetries) {
    this.database = database;
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
  }

  public static LegacyWrite create() {
    return new LegacyWrite(null, 5_000, 6);
  }

  public LegacyWrite withDatabase(DatabaseConfig newDatabase) {
    if (newDatabase == null) {
      throw new IllegalArgumentException("database must not be null");
    }
    return new LegacyWrite(newDatabase, batchSize, maxRetries);
  }

  /**
   * Rows per transaction; a record's rows are never split, so a batch may pass it by one record.
   */
  public LegacyWrite withBatchSize(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + rows);
    }
    return new LegacyWrite(database, rows, maxRetries);
  }

  /** Retries of a batch after transient errors before its records are tried one by one. */
  public LegacyWrite withMaxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + retries);
    }
    return new LegacyWrite(database, batchSize, retries);
  }

  @Override
  public PCollection<Failure> expand(PCollection<LegacyRecord> records) {
    if (database == null) {
      throw new IllegalStateException("withDatabase(…) is required");
    }
    return records.apply("Upsert", ParDo.of(new WriteFn(this)));
  }

  /** A row and the source its record came from. */
  private record SourcedRow(TargetRow row, String source) {}

  /** Per group (a legacy store): rows sent and rows that were new or different. */
  private record Written(Map<String, long[]> byGroup) {}

  private static final class WriteFn extends DoFn<LegacyRecord, Failure> {
    private final LegacyWrite spec;
    private final Counter retries = Metrics.counter(LegacyWrite.class, "transaction_retries");
    private transient RetryingConnection connection;
    private transient List<LegacyRecord> batch;
    private transient int batchRows;

    WriteFn(LegacyWrite spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      connection = new RetryingConnection(spec.database, spec.maxRetries, retries);
    }

    @StartBundle
    public void startBundle() {
      batch = new ArrayList<>();
      batchRows = 0;
    }

    @ProcessElement
    public void process(@Element LegacyRecord record, OutputReceiver<Failure> failures)
        throws InterruptedException {
      batch.add(record);
      batchRows += record.rows().size();
      if (batchRows >= spec.batchSize) {
        flush(failures::output);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws InterruptedException {
      flush(failure -> context.output(failure, Instant.now(), GlobalWindow.INSTANCE));
    }

    @Teardown
    public void teardown() {
      if (connection != null) {
        connection.close();
      }
    }

    private void flush(Consumer<Failure> failures) throws InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      List<LegacyRecord> records = batch;
      batch = new ArrayList<>();
      batchRows = 0;
      try {
        count(connection.inTransaction(c -> upsert(c, records)));
      } catch (SQLException batchFailed) {
        for (LegacyRecord record : records) {
          try {
            count(connection.inTransaction(c -> upsert(c, List.of(record))));
          } catch (SQLException e) {
            Metrics.counter("backfill " + record.group(), "rows_failed")
                .inc(record.rows().size());
            failures.accept(Failure.ofUri(record.uri(), Stage.BACKFILL,
                TransientSqlErrors.isTransient(e) ? FailureClass.IO_ERROR : FailureClass.INVALID,
                "cannot store in PostgreSQL: " + e.getMessage()));
          }
        }
      }
    }

    private static void count(Written written) {
      written.byGroup().forEach((group, figures) -> {
        Metrics.counter("backfill " + group, "rows_written").inc(figures[1]);
        Metrics.counter("backfill " + group, "rows_unchanged").inc(figures[0] - figures[1]);
      });
    }

    /**
     * Upserts the records' rows table by table. Rows with the same key (a citation listed twice)
     * would make one statement update a row twice, which PostgreSQL refuses: the last one wins,
     * and the others count as unchanged.
     */
    private static Written upsert(Connection connection, List<LegacyRecord> records)
        throws SQLException {
      Map<String, long[]> byGroup = new HashMap<>();
      Map<String, String> groupOfSource = new HashMap<>();
      Map<String, Map<List<String>, SourcedRow>> rowsByTable = new LinkedHashMap<>();
      for (LegacyRecord record : records) {
        groupOfSource.put(record.source(), record.group());
        byGroup.computeIfAbsent(record.group(), g -> new long[2])[0] += record.rows().size();
        for (TargetRow row : record.rows()) {
          rowsByTable.computeIfAbsent(row.table(), t -> new LinkedHashMap<>())
              .put(row.key(), new SourcedRow(row, record.source()));
        }
      }
      for (Map.Entry<String, Map<List<String>, SourcedRow>> table : rowsByTable.entrySet()) {
        TargetTable target = TargetTables.named(table.getKey());
        Collection<SourcedRow> unique = table.getValue().values();
        List<TargetRow> rows = unique.stream().map(SourcedRow::row).toList();
        List<String> sources = unique.stream().map(SourcedRow::source).toList();
        try (PreparedStatement upsert = connection.prepareStatement(LegacySql.upsert(target))) {
          LegacySql.bind(upsert, connection, target, rows, sources);
          try (ResultSet changed = upsert.executeQuery()) {
            while (changed.next()) {
              byGroup.get(groupOfSource.get(changed.getString(1)))[1]++;
            }
          }
        }
      }
      return new Written(byGroup);
    }
  }
}
