package io.sluice.sinks.postgres;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.sinks.postgres.TelemetryRetention.Removal;
import io.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.Before;
import org.junit.Test;

/**
 * Retention on the monthly partitions of a real PostgreSQL: what goes is exactly what lies before
 * the horizon and may go, whole months are dropped, and nothing outside telemetry changes.
 */
public class TelemetryRetentionTest {
  private static final Instant APRIL = Instant.parse("2024-04-01T00:00:00Z");

  private DatabaseConfig database;

  @Before
  public void telemetry() throws Exception {
    database = TestDatabases.fresh();
    // January's partition made by a writer; the other months' rows wait in the DEFAULT partition.
    try (Connection connection = database.connect()) {
      MonthlyPartitions.add(
          connection, MonthlyPartitions.TOKEN_USAGE, java.time.YearMonth.of(2024, 1));
    }
    TestDatabases.execute(
        database,
        // Legacy rows, one a month from January to May, and one without a time.
        """
        INSERT INTO observability.token_usage (usage_key, legacy_id, created_at, source)
        SELECT 'legacy-' || m, m, make_timestamptz(2024, m, 10, 0, 0, 0, 'UTC'), 'legacy.sqlite'
        FROM generate_series(1, 5) m""",
        """
        INSERT INTO observability.token_usage (usage_key, legacy_id, created_at, source)
        VALUES ('legacy-undated', 0, NULL, 'legacy.sqlite')""",
        // A run's requests in February (alone in its month) and March (beside a legacy row).
        """
        INSERT INTO observability.token_usage (usage_key, run_id, created_at, source) VALUES
            ('run-feb', 'r', '2024-02-20Z', 'sluice-ingest'),
            ('run-mar', 'r', '2024-03-31 23:59:59Z', 'sluice-ingest'),
            ('run-apr', 'r', '2024-04-01Z', 'sluice-ingest')""",
        // Two runs' failures: one started in January, one in April.
        """
        INSERT INTO observability.request_failures
            (run_id, source_uri, stage, error_class, retryable, message, run_started_at)
        VALUES ('old', 'file:///x.pdf', 'extract', 'corrupt', false, 'm', '2024-01-31Z'),
               ('old', 'file:///y.pdf', 'extract', 'corrupt', false, 'm', '2024-01-31Z'),
               ('new', 'file:///x.pdf', 'extract', 'corrupt', false, 'm', '2024-04-02Z')""");
  }

  private List<String> usageKeys() throws Exception {
    return TestDatabases.text(
            database,
            "SELECT string_agg(usage_key, ',' ORDER BY usage_key)"
                + " FROM observability.token_usage")
        .lines()
        .flatMap(line -> List.of(line.split(",")).stream())
        .collect(Collectors.toList());
  }

  private String outsideTelemetry() throws Exception {
    return StoreChecksum.compute(database).stream()
        .filter(digest -> !digest.table().startsWith("observability."))
        .map(Object::toString)
        .collect(Collectors.joining("\n"));
  }

  @Test
  public void withoutNamingATableOnlyTheRunsTelemetryGoes() throws Exception {
    Fixtures.store(
        database,
        "ingest",
        List.of(Fixtures.document("file:///a.pdf", "a document that retention leaves alone", 3)),
        100);
    String stores = outsideTelemetry();

    List<Removal> removed =
        TelemetryRetention.apply(database, APRIL, Set.of(), false, "sluice retention");

    assertThat(
        usageKeys(),
        contains(
            "legacy-1",
            "legacy-2",
            "legacy-3",
            "legacy-4",
            "legacy-5",
            "legacy-undated",
            "run-apr"));
    Removal usage = removed.get(0);
    assertThat(usage.table(), equalTo(MonthlyPartitions.TOKEN_USAGE));
    // February holds a legacy row too: no month can be dropped, the run's rows are deleted.
    assertThat(usage.droppedPartitions(), empty());
    assertThat(usage.deletedRows(), equalTo(2L));
    Removal failures = removed.get(1);
    assertThat(failures.droppedPartitions(), contains("observability.request_failures_2024_01"));
    assertThat(failures.droppedRows(), equalTo(2L));
    assertThat(
        TestDatabases.text(database, "SELECT run_id FROM observability.request_failures"),
        equalTo("new"));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM observability.retention_horizons"
                + " WHERE horizon > '-infinity'"),
        equalTo(0L));
    assertThat(outsideTelemetry(), equalTo(stores));
  }

  @Test
  public void aNamedTableLosesEveryRowBeforeTheHorizonAndKeepsTheHorizon() throws Exception {
    List<Removal> dry =
        TelemetryRetention.apply(
            database, APRIL, Set.of(MonthlyPartitions.TOKEN_USAGE), true, "sluice retention");
    List<String> before = usageKeys();

    List<Removal> removed =
        TelemetryRetention.apply(
            database, APRIL, Set.of(MonthlyPartitions.TOKEN_USAGE), false, "sluice retention");

    assertThat(before.size(), equalTo(9));
    assertThat(usageKeys(), contains("legacy-4", "legacy-5", "legacy-undated", "run-apr"));
    Removal usage = removed.get(0);
    assertThat(
        usage.droppedPartitions(),
        contains(
            "observability.token_usage_2024_01",
            "observability.token_usage_2024_02",
            "observability.token_usage_2024_03"));
    assertThat(usage.rows(), equalTo(5L));
    assertThat(dry.get(0).rows(), equalTo(usage.rows()));
    assertThat(dry.get(1).rows(), equalTo(removed.get(1).rows()));
    assertThat(
        TestDatabases.text(
            database,
            "SELECT horizon = '2024-04-01Z' FROM observability.retention_horizons"
                + " WHERE table_name = 'observability.token_usage'"),
        equalTo("t"));

    // An earlier horizon later on does not bring the recorded one back.
    List<Removal> earlier =
        TelemetryRetention.apply(
            database,
            Instant.parse("2024-02-01T00:00:00Z"),
            Set.of(MonthlyPartitions.TOKEN_USAGE),
            false,
            "sluice retention");
    assertThat(earlier.get(0).horizon(), equalTo(APRIL));
    assertThat(earlier.get(0).rows(), equalTo(0L));
  }

  @Test
  public void aSecondRetentionHasNothingToDo() throws Exception {
    TelemetryRetention.apply(database, APRIL, Set.of(), false, "sluice retention");

    List<Removal> again =
        TelemetryRetention.apply(database, APRIL, Set.of(), false, "sluice retention");

    assertThat(again.stream().mapToLong(Removal::rows).sum(), equalTo(0L));
    assertThat(again.get(1).droppedPartitions(), empty());
  }
}
