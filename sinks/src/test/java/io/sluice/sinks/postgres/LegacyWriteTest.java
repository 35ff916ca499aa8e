package io.sluice.sinks.postgres;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.sluice.testing.TestDatabases;
import io.sluice.transforms.legacy.LegacyRecord;
import io.sluice.transforms.legacy.TargetRow;
import io.sluice.transforms.legacy.TargetTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Before;
import org.junit.Test;

public class LegacyWriteTest {
  private static final String GROUP = "usage.sqlite#token_usage";

  private DatabaseConfig database;

  @Before
  public void database() throws Exception {
    database = TestDatabases.fresh();
  }

  private static LegacyRecord usage(long id, String inputTokens) {
    return new LegacyRecord(
        GROUP,
        GROUP,
        "id=" + id,
        List.of(
            new TargetRow(
                TargetTables.TOKEN_USAGE.name(),
                Arrays.asList(
                    "key-" + id,
                    Long.toString(id),
                    "2024-03-01T10:00:00Z",
                    "gpt-5",
                    "answer",
                    inputTokens,
                    "5",
                    null,
                    "s",
                    "r",
                    "{\"a\":1}"))));
  }

  /** A report and its question: rows of one record, written together or not at all. */
  private static LegacyRecord report(String runId, String questionStatus) {
    return new LegacyRecord(
        "reports",
        "workflow-report-" + runId + ".json",
        "run_id=" + runId,
        List.of(
            runRecord(runId, "report", "report", "main", "completed"),
            runRecord(runId, "question", "agentic", "A1", questionStatus)));
  }

  private static TargetRow runRecord(
      String runId, String kind, String step, String key, String status) {
    return new TargetRow(
        TargetTables.RUN_RECORDS.name(),
        Arrays.asList(runId, kind, step, key, status, null, null, null, null, "{}", null));
  }

  /**
   * One write's failures (as recorded) and the group's written, unchanged and behind-the-horizon
   * counts.
   */
  private record Outcome(List<String> failures, long written, long unchanged, long behind) {}

  /** Runs one write, its failures recorded the way the backfill records them. */
  private Outcome write(List<LegacyRecord> records, int batchSize) throws Exception {
    String runId = "run-" + System.nanoTime();
    Pipeline run = Pipeline.create(TestPipeline.testingPipelineOptions());
    run.apply(Create.of(records))
        .apply(LegacyWrite.create().withDatabase(database).withBatchSize(batchSize))
        .failures()
        .apply(
            PostgresIO.writeFailures()
                .withDatabase(database)
                .withRun(RunContext.withoutIndex(runId)));
    PipelineResult result = run.run();
    result.waitUntilFinish();
    List<String> failures = new ArrayList<>();
    try (Connection connection = database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT source_uri || ' ' || error_class || ' ' || message"
                        + " FROM observability.request_failures WHERE run_id = '"
                        + runId
                        + "'")) {
      while (rows.next()) {
        failures.add(rows.getString(1));
      }
    }
    return new Outcome(
        failures,
        counter(result, "rows_written"),
        counter(result, "rows_unchanged"),
        counter(result, "rows_behind_horizon"));
  }

  private static long counter(PipelineResult result, String name) {
    return StreamSupport.stream(
            result
                .metrics()
                .queryMetrics(
                    MetricsFilter.builder()
                        .addNameFilter(MetricNameFilter.named("backfill " + GROUP, name))
                        .build())
                // Committed: the DirectRunner folds attempted values in on another thread.
                .getCounters()
                .spliterator(),
            false)
        .mapToLong(c -> c.getCommitted())
        .sum();
  }

  @Test
  public void writesOnceAndCountsARepeatAsUnchanged() throws Exception {
    List<LegacyRecord> records = List.of(usage(1, "10"), usage(2, "10"), usage(3, "12"));

    Outcome first = write(records, 2);
    Outcome second = write(records, 2);

    assertThat(first.written(), equalTo(3L));
    assertThat(second.written(), equalTo(0L));
    assertThat(second.unchanged(), equalTo(3L));
    assertThat(count(database, "SELECT count(*) FROM observability.token_usage"), equalTo(3L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM observability.token_usage "
                + "WHERE source = '"
                + GROUP
                + "' AND meta = '{\"a\": 1}'::jsonb"),
        equalTo(3L));
  }

  @Test
  public void aChangedValueIsRewrittenAndOnlyItCounts() throws Exception {
    write(List.of(usage(1, "10"), usage(2, "10")), 10);

    Outcome changed = write(List.of(usage(1, "10"), usage(2, "11")), 10);

    assertThat(changed.written(), equalTo(1L));
    assertThat(changed.unchanged(), equalTo(1L));
    assertThat(
        count(database, "SELECT input_tokens FROM observability.token_usage WHERE legacy_id = 2"),
        equalTo(11L));
  }

  @Test
  public void aRecordPostgresRefusesFailsAloneAndTheRestOfItsBatchLands() throws Exception {
    Outcome outcome = write(List.of(usage(1, "10"), usage(2, "not a number"), usage(3, "12")), 10);

    assertThat(outcome.failures().size(), equalTo(1));
    assertThat(
        outcome.failures().get(0), startsWith(GROUP + "/id=2 refused cannot store in PostgreSQL"));
    assertThat(count(database, "SELECT count(*) FROM observability.token_usage"), equalTo(2L));
  }

  @Test
  public void aReportIsNeverHalfWritten() throws Exception {
    // The question's status is fine; a NUL byte in the second report's question makes
    // PostgreSQL refuse that row, and with it the whole report, not just the question.
    Outcome outcome = write(List.of(report("r1", "high"), report("r2", "bad\u0000")), 100);

    assertThat(outcome.failures().size(), equalTo(1));
    assertThat(
        count(database, "SELECT count(*) FROM workflow.run_records WHERE run_id = 'r1'"),
        equalTo(2L));
    assertThat(
        count(database, "SELECT count(*) FROM workflow.run_records WHERE run_id = 'r2'"),
        equalTo(0L));
  }

  @Test
  public void rowsOlderThanTheRetentionHorizonAreNotWrittenAgain() throws Exception {
    Instant rowTime = Instant.parse("2024-03-01T10:00:00Z");
    try (Connection connection = database.connect()) {
      RetentionHorizons.advance(connection, TargetTables.TOKEN_USAGE.name(), rowTime, "test");
    }
    Outcome atTheHorizon = write(List.of(usage(1, "10")), 10);
    try (Connection connection = database.connect()) {
      RetentionHorizons.advance(
          connection, TargetTables.TOKEN_USAGE.name(), rowTime.plusNanos(1000), "test");
    }

    Outcome behind = write(List.of(usage(1, "11"), usage(2, "10")), 10);

    assertThat(atTheHorizon.written(), equalTo(1L));
    assertThat(behind.written(), equalTo(0L));
    assertThat(behind.unchanged(), equalTo(0L));
    assertThat(behind.behind(), equalTo(2L));
    assertThat(
        count(database, "SELECT input_tokens FROM observability.token_usage WHERE legacy_id = 1"),
        equalTo(10L));
    assertThat(count(database, "SELECT count(*) FROM observability.token_usage"), equalTo(1L));
    // The row went straight into its month's partition, made by the write.
    assertThat(
        TestDatabases.text(
            database, "SELECT tableoid::regclass::text FROM observability.token_usage"),
        equalTo("observability.token_usage_2024_03"));
  }
}
