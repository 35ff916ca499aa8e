package io.sluice.sinks.postgres;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.Test;

/**
 * Schema version 10 moves the telemetry tables of a database at version 9 into monthly partitions:
 * every row kept, the checksums the same, each failure filed under its run's start.
 */
public class PartitionMigrationTest {
  @Test
  public void rowsOfVersionNineAreKeptWithTheSameChecksums() throws Exception {
    DatabaseConfig database = TestDatabases.empty();
    Flyway.configure()
        .dataSource(database.jdbcUrl(), null, null)
        .locations("classpath:db/migration")
        .target("9")
        .load()
        .migrate();
    TestDatabases.execute(
        database,
        """
        INSERT INTO observability.token_usage (usage_key, legacy_id, created_at, meta, source)
        SELECT 'k' || g, g, CASE WHEN g % 10 = 0 THEN NULL
                            ELSE '2024-01-01Z'::timestamptz + g * interval '7 hours' END,
               jsonb_build_object('g', g), 'legacy.sqlite'
        FROM generate_series(1, 3000) g""",
        """
        INSERT INTO workflow.run_records (run_id, record_kind, step, record_key, status, started_at)
        VALUES ('recorded', 'run', '', 'main', 'completed', '2025-05-31 23:00Z')""",
        """
        INSERT INTO observability.request_failures
            (run_id, source_uri, stage, error_class, retryable, message, created_at)
        VALUES ('recorded', 'file:///a.pdf', 'extract', 'corrupt', false, 'm', '2025-06-01Z'),
               ('unrecorded', 'file:///b.pdf', 'extract', 'corrupt', false, 'm', '2025-03-02Z'),
               ('unrecorded', 'file:///c.pdf', 'store', 'refused', false, 'm', '2025-04-02Z')""");
    String before = StoreChecksum.report(StoreChecksum.compute(database));

    SchemaMigrations.migrate(database);

    assertThat(StoreChecksum.report(StoreChecksum.compute(database)), equalTo(before));
    assertThat(count(database, "SELECT count(*) FROM observability.token_usage"), equalTo(3000L));
    // The undated rows wait in the DEFAULT partition; the others are in their months'.
    assertThat(
        count(database, "SELECT count(*) FROM observability.token_usage_default"), equalTo(300L));
    assertThat(
        count(database, "SELECT count(*) FROM observability.token_usage_2024_02"),
        equalTo(
            count(
                database,
                "SELECT count(*) FROM observability.token_usage"
                    + " WHERE created_at >= '2024-02-01Z' AND created_at < '2024-03-01Z'")));
    assertThat(
        TestDatabases.text(
            database,
            "SELECT string_agg(run_id || ' ' || tableoid::regclass::text || ' '"
                + " || run_started_at, ', ' ORDER BY source_uri)"
                + " FROM observability.request_failures"),
        equalTo(
            "recorded observability.request_failures_2025_05 2025-05-31 23:00:00+00,"
                + " unrecorded observability.request_failures_2025_03 2025-03-02 00:00:00+00,"
                + " unrecorded observability.request_failures_2025_03 2025-03-02 00:00:00+00"));
  }
}
