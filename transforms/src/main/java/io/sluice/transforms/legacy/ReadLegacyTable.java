package io.sluice.transforms.legacy;

import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one legacy SQLite table with Beam's {@code JdbcIO} and maps its rows into the unified
 * schema. A row with a value that has no faithful form becomes an {@code invalid} failure saying
 * which column and why; the other rows go on.
 *
 * <pre>{@code
 * for (TableSlice slice : table.slices(lastId, 100_000)) {
 *   WithFailures.Result<PCollection<LegacyRecord>, Failure> rows =
 *       pipeline.apply(ReadLegacyTable.of(table).slice(slice));
 * }
 * }</pre>
 */
public final class ReadLegacyTable
    extends PTransform<PBegin, WithFailures.Result<PCollection<LegacyRecord>, Failure>> {
  private static final TupleTag<LegacyRecord> RECORDS = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  /** SQLite streams a result row by row; this bounds what the driver holds at once. */
  private static final int FETCH_SIZE = 10_000;

  private final LegacyTable table;
  private final @Nullable TableSlice slice;

  private ReadLegacyTable(LegacyTable table, @Nullable TableSlice slice) {
    this.table = table;
    this.slice = slice;
  }

  /** All rows of a table that {@link LegacyTable#inspect} found readable. */
  public static ReadLegacyTable of(LegacyTable table) {
    if (table == null || !table.readable()) {
      throw new IllegalArgumentException(
          "table must be readable, got " + (table == null ? null : table.problem()));
    }
    return new ReadLegacyTable(table, null);
  }

  /** Only the rows of this slice (see {@link LegacyTable#slices}). */
  public ReadLegacyTable slice(TableSlice newSlice) {
    if (newSlice == null || newSlice.cursorFrom() != null && !table.hasCursor()) {
      throw new IllegalArgumentException(
          table.layout().source() + " cannot be read in slice " + newSlice);
    }
    return new ReadLegacyTable(table, newSlice);
  }

  @Override
  public WithFailures.Result<PCollection<LegacyRecord>, Failure> expand(PBegin begin) {
    TableSlice range = slice;
    // read() with a row mapper: readRows() sizes TEXT columns from the driver, which says 0.
    // Without output parallelization: its reshuffle made the DirectRunner 100 times slower.
    PCollection<List<String>> rows =
        begin.apply(
            "Read",
            JdbcIO.<List<String>>read()
                .withDataSourceProviderFn(new ReadOnlySqlite(table.path()))
                .withQuery(range == null ? table.selectSql() : table.selectSql(range))
                .withStatementPreparator(
                    statement -> {
                      if (range != null) {
                        table.bind(statement, range);
                      }
                    })
                .withRowMapper(table::values)
                .withCoder(ListCoder.of(NullableCoder.of(StringUtf8Coder.of())))
                .withFetchSize(FETCH_SIZE)
                .withOutputParallelization(false));
    PCollectionTuple mapped =
        rows.apply(
            "Map",
            ParDo.of(new MapRowsFn(table)).withOutputTags(RECORDS, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(mapped, RECORDS, FAILURES);
  }

  private static final class MapRowsFn extends DoFn<List<String>, LegacyRecord> {
    private final LegacyTable table;
    private final Counter read;
    private final Counter invalid;

    MapRowsFn(LegacyTable table) {
      this.table = table;
      this.read = Metrics.counter("backfill " + table.layout().source(), "rows_read");
      this.invalid = Metrics.counter("backfill " + table.layout().source(), "rows_invalid");
    }

    @ProcessElement
    public void process(@Element List<String> values, MultiOutputReceiver out) {
      read.inc();
      try {
        out.get(RECORDS).output(table.map(values));
      } catch (UnmappableValueException e) {
        invalid.inc();
        LegacyRow row = table.row(values);
        out.get(FAILURES)
            .output(
                Failure.ofUri(
                    LegacyRecord.uri(table.layout().source(), table.layout().recordId(row)),
                    Stage.BACKFILL,
                    FailureClass.INVALID,
                    e.getMessage()));
      }
    }
  }
}
