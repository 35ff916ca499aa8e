package io.sluice.pipelines.backfill;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.LegacySamples;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.legacy.LegacyValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice backfill} on real SQLite files in every legacy layout (generated with their awkward
 * rows) into a real PostgreSQL, through the command line.
 */
public class BackfillTest {
  private static final String TOKENS = "ragonometrics_token_usage.sqlite#token_usage";
  private static final String CITEC = "ragonometrics_citec.sqlite#citec_cache";
  private static final int TOKEN_ROWS = 300;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path sqlite;
  private Path reports;
  private DatabaseConfig database;

  @Before
  public void legacyStores() throws Exception {
    Path root = folder.getRoot().toPath();
    LegacySamples.writeTo(root, TOKEN_ROWS);
    sqlite = root.resolve(LegacySamples.SQLITE);
    reports = root.resolve(LegacySamples.REPORTS);
    database = TestDatabases.fresh();
  }

  private CliRun backfill(String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backfill",
                "--sqliteDir=" + sqlite,
                "--reportsDir=" + reports,
                "--databaseUrl=" + database.jdbcUrl()));
    args.addAll(Arrays.asList(flags));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** A source's row of the parity table: rows, read, written, unchanged, skipped, mismatched. */
  private static List<String> parityRow(CliRun run, String source) {
    return run.out()
        .lines()
        .map(String::strip)
        .filter(line -> line.startsWith(source + " "))
        .map(line -> Arrays.asList(line.split("\\s+")).subList(1, 7))
        .findFirst()
        .orElseThrow(() -> new AssertionError(source + " not in:\n" + run.out()));
  }

  private String text(String sql) throws Exception {
    return TestDatabases.text(database, sql);
  }

  @Test
  public void movesEveryLayoutAndKeepsOrReportsEachAwkwardRow() throws Exception {
    CliRun run = backfill();

    assertThat(run.log() + run.out(), run.exitCode(), equalTo(0));
    assertThat(run.out(), containsString("parity holds"));
    assertThat(run.log(), containsString("no column context_hash"));
    assertThat(run.log(), containsString("column etag not in the unified schema"));

    // Workflow state: ISO times in several forms, invalid JSON wrapped, NULLs kept.
    assertThat(
        text(
            "SELECT started_at::text FROM workflow.run_records WHERE run_id = 'run-2'"
                + " AND record_kind = 'run'"),
        equalTo("2024-03-02 11:30:00+00"));
    assertThat(
        text(
            "SELECT metadata::text FROM workflow.run_records WHERE run_id = 'run-2'"
                + " AND record_kind = 'run'"),
        equalTo("{\"value\": \"not json {\"}"));
    assertThat(
        text(
            "SELECT payload::text FROM workflow.run_records WHERE run_id = 'run-2'"
                + " AND record_kind = 'run'"),
        equalTo("{\"papers_dir\": null, \"config_hash\": null}"));
    assertThat(
        text(
            "SELECT metadata IS NULL FROM workflow.run_records WHERE run_id = 'run-3'"
                + " AND record_kind = 'run'"),
        equalTo("t"));
    assertThat(
        text(
            "SELECT finished_at::text FROM workflow.run_records WHERE run_id = 'run-1'"
                + " AND step = 'ingest'"),
        equalTo("2024-03-01 10:05:00.5+00"));
    assertThat(
        text(
            "SELECT output->>'ratio' FROM workflow.run_records WHERE run_id = 'run-1'"
                + " AND step = 'ingest'"),
        equalTo("1.50"));
    // A step whose start is 'yesterday' is skipped, with the reason recorded.
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.run_records"
                + " WHERE run_id = 'run-2' AND record_kind = 'step'"),
        equalTo(0L));
    assertThat(
        text(
            "SELECT error_class || ': ' || message FROM observability.request_failures"
                + " WHERE source_uri LIKE '%workflow_steps/run_id=run-2,step=ingest'"),
        equalTo("invalid: started_at is not an ISO-8601 time: 'yesterday'"));

    // An older query cache without context_hash; PostgreSQL text cannot hold NUL.
    assertThat(
        text("SELECT context_hash IS NULL FROM retrieval.query_cache" + " WHERE cache_key = 'q1'"),
        equalTo("t"));
    assertThat(
        text("SELECT answer IS NULL FROM retrieval.query_cache WHERE cache_key = 'q2'"),
        equalTo("t"));
    assertThat(
        text("SELECT created_at::text FROM retrieval.query_cache WHERE cache_key = 'q3'"),
        equalTo("2024-03-01 00:00:00+00"));

    // Token usage: every row, those of equal content too, under keys derived from the source.
    assertThat(
        count(database, "SELECT count(*) FROM observability.token_usage"),
        equalTo((long) TOKEN_ROWS));
    assertThat(
        count(
            database,
            "SELECT count(DISTINCT (created_at, model, operation,"
                + " input_tokens, output_tokens, total_tokens, session_id, request_id, meta))"
                + " FROM observability.token_usage WHERE legacy_id IN (1, 2)"),
        equalTo(1L));
    assertThat(
        text("SELECT meta::text FROM observability.token_usage WHERE legacy_id = 97"),
        equalTo("{\"value\": \"meta 97 (not JSON)\"}"));
    assertThat(
        text("SELECT meta IS NULL FROM observability.token_usage WHERE legacy_id = 89"),
        equalTo("t"));
    assertThat(
        text("SELECT created_at::text FROM observability.token_usage" + " WHERE legacy_id = 5"),
        equalTo("2024-06-06 04:05:05.25+00"));

    // Caches: epoch seconds, JSON kept exactly, text that is not JSON wrapped, NULLs kept.
    assertThat(
        text("SELECT fetched_at::text FROM enrichment.openalex_cache" + " WHERE cache_key = 'oa1'"),
        equalTo("2023-11-14 22:13:20+00"));
    assertThat(
        text("SELECT response->>'x' FROM enrichment.openalex_cache" + " WHERE cache_key = 'oa1'"),
        equalTo("100"));
    assertThat(
        text("SELECT response::text FROM enrichment.openalex_cache" + " WHERE cache_key = 'oa2'"),
        equalTo("{\"value\": \"<html>502 Bad Gateway</html>\"}"));
    assertThat(
        text(
            "SELECT (response IS NULL AND fetched_at IS NULL)::text"
                + " FROM enrichment.openalex_cache WHERE cache_key = 'oa3'"),
        equalTo("true"));
    assertThat(
        text("SELECT fetched_at::text FROM enrichment.citec_cache WHERE cache_key = 'c2'"),
        equalTo("2023-11-14 22:13:20.5+00"));
    assertThat(
        count(database, "SELECT count(*) FROM enrichment.semantic_scholar_cache"), equalTo(1L));

    // Optional stores: legacy chunks without embeddings, and a citation listed twice is one.
    assertThat(
        text("SELECT string_agg(chunk_id, ',' ORDER BY chunk_id)" + " FROM indexing.legacy_chunks"),
        equalTo("legacy-1,legacy-2,legacy-3"));
    assertThat(count(database, "SELECT count(*) FROM enrichment.citations"), equalTo(2L));

    // Reports: the payload with its hash, one record per question and artifact.
    String report = Files.readString(reports.resolve("2024/03/workflow-report-run-1.json"));
    assertThat(
        text(
            "SELECT payload_sha256 FROM workflow.run_records"
                + " WHERE run_id = 'run-1' AND record_kind = 'report'"),
        equalTo(Keys.sha256Hex(LegacyValues.json(report))));
    assertThat(
        text(
            "SELECT payload->'agentic'->>'status' FROM workflow.run_records"
                + " WHERE run_id = 'run-1' AND record_kind = 'report'"),
        equalTo("ok"));
    assertThat(
        text(
            "SELECT string_agg(record_key, ',' ORDER BY record_key)"
                + " FROM workflow.run_records WHERE run_id = 'run-1' AND record_kind = 'question'"),
        equalTo("A01,A02,A02#2"));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.run_records"
                + " WHERE run_id = 'run-1' AND record_kind = 'artifact'"),
        equalTo(4L));
    assertThat(
        text(
            "SELECT status FROM workflow.run_records WHERE run_id = 'run-2'"
                + " AND record_kind = 'report'"),
        equalTo("failed"));
    assertThat(
        text(
            "SELECT message FROM observability.request_failures"
                + " WHERE source_uri = 'broken/workflow-report-run-9.json'"),
        containsString("report is not JSON"));
    assertThat(parityRow(run, "reports"), contains("3", "3", "10", "0", "1", "0"));
  }

  @Test
  public void aSecondBackfillMovesNothingAndLeavesTheSameStores() throws Exception {
    assertThat(backfill().exitCode(), equalTo(0));
    String first = StoreChecksum.report(StoreChecksum.compute(database));

    CliRun again = backfill();
    CliRun full = backfill("--full");

    assertThat(again.exitCode(), equalTo(0));
    assertThat(again.log(), containsString("no source changed since its last proven backfill"));
    assertThat(
        parityRow(again, TOKENS), contains(String.valueOf(TOKEN_ROWS), "-", "-", "-", "0", "0"));
    assertThat(full.exitCode(), equalTo(0));
    assertThat(
        parityRow(full, TOKENS),
        contains(
            String.valueOf(TOKEN_ROWS),
            String.valueOf(TOKEN_ROWS),
            "0",
            String.valueOf(TOKEN_ROWS),
            "0",
            "0"));
    assertThat(StoreChecksum.report(StoreChecksum.compute(database)), equalTo(first));
    assertThat(
        count(
            database,
            "SELECT count(*) - count(DISTINCT (run_id, record_kind, step,"
                + " record_key)) FROM workflow.run_records"),
        equalTo(0L));
  }

  @Test
  public void onlyNewRowsMoveOnTheNextRun() throws Exception {
    assertThat(backfill().exitCode(), equalTo(0));
    LegacySamples.addTokenUsage(sqlite.resolve(LegacySamples.TOKEN_USAGE_FILE), TOKEN_ROWS + 1, 50);
    TestSqlite.execute(
        sqlite.resolve("ragonometrics_citec.sqlite"),
        "INSERT INTO citec_cache VALUES ('c3', 'RePEc:new', '{\"citations\": 1}', 1800000000)");

    CliRun next = backfill();

    assertThat(next.log() + next.out(), next.exitCode(), equalTo(0));
    assertThat(
        parityRow(next, TOKENS),
        contains(String.valueOf(TOKEN_ROWS + 50), "50", "50", "0", "0", "0"));
    // The cursor is inclusive for times: the row at the last fetched_at is read again.
    assertThat(parityRow(next, CITEC), contains("3", "2", "1", "1", "0", "0"));
    assertThat(
        parityRow(next, "ragonometrics_query_cache.sqlite#query_cache").get(1), equalTo("-"));
    assertThat(
        count(database, "SELECT count(*) FROM observability.token_usage"),
        equalTo(TOKEN_ROWS + 50L));
  }

  @Test
  public void verifyFindsARowEditedInPostgresAndFullRepairsIt() throws Exception {
    assertThat(backfill().exitCode(), equalTo(0));
    TestDatabases.execute(
        database, "UPDATE observability.token_usage SET input_tokens = 0 WHERE legacy_id = 5");
    String edited = text("SELECT usage_key FROM observability.token_usage WHERE legacy_id = 5");

    CliRun verify = backfill("--verify");
    CliRun repair = backfill("--full");
    CliRun verifyAgain = backfill("--verify");

    assertThat(verify.exitCode(), equalTo(1));
    assertThat(verify.out(), containsString("parity BROKEN"));
    assertThat(parityRow(verify, TOKENS).get(5), equalTo("1"));
    assertThat(
        verify.out(),
        containsString(
            "MISMATCH  " + TOKENS + ": 0 missing, 1 different in the target, e.g. " + edited));
    assertThat(parityRow(repair, TOKENS).get(2), equalTo("1"));
    assertThat(verifyAgain.exitCode(), equalTo(0));
  }

  @Test
  public void aDamagedFileIsAFailureAndTheOtherStoresStillLoad() throws Exception {
    Files.writeString(sqlite.resolve("ragonometrics_citec.sqlite"), "not a database at all");
    Files.delete(sqlite.resolve("doi_network.sqlite"));
    TestSqlite.execute(
        sqlite.resolve("ragonometrics_workflow_state.sqlite"), "DROP TABLE workflow_steps");

    CliRun run = backfill();

    assertThat(run.log() + run.out(), run.exitCode(), equalTo(0));
    assertThat(run.log(), containsString("doi_network.sqlite#citations: optional file absent"));
    assertThat(run.log(), containsString("workflow_steps: no table workflow_steps"));
    assertThat(
        text(
            "SELECT error_class || ' ' || retryable FROM observability.request_failures"
                + " WHERE source_uri = '"
                + CITEC
                + "'"),
        equalTo("corrupt false"));
    assertThat(
        count(database, "SELECT count(*) FROM observability.token_usage"),
        equalTo((long) TOKEN_ROWS));
    assertThat(run.out(), not(containsString(CITEC)));
  }

  @Test
  public void statusReportsABackfillRunAndListsOnlySluicesOwnRuns() throws Exception {
    assertThat(backfill("--runId=backfill-1").exitCode(), equalTo(0));

    CliRun one = CliRun.of("status", "--run=backfill-1", "--databaseUrl=" + database.jdbcUrl());
    CliRun all = CliRun.of("status", "--databaseUrl=" + database.jdbcUrl());

    assertThat(one.log(), one.out(), containsString("backfill backfill-1 completed"));
    assertThat(one.out(), containsString(TOKENS));
    assertThat(one.out(), containsString("read 300, written 300, unchanged 0; parity holds"));
    assertThat(one.out(), containsString("invalid"));
    assertThat(all.out(), containsString("backfill-1"));
    // The legacy runs are data the backfill moved, not runs of sluice's.
    assertThat(all.out(), not(containsString("run-1")));
  }

  @Test
  public void aBatchJobOnFlinkStoresWhatTheDirectRunnerStoresInSlices() throws Exception {
    // 300 token rows in slices of 64: five DirectRunner passes; Flink reads every slice in one job.
    CliRun sliced = backfill("--backfillSliceRows=64");
    assertThat(sliced.exitCode(), equalTo(0));
    assertThat(parityRow(sliced, TOKENS).get(2), equalTo(String.valueOf(TOKEN_ROWS)));
    String direct = StoreChecksum.report(StoreChecksum.compute(database));
    database = TestDatabases.fresh();

    CliRun flink =
        backfill(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2",
            "--backfillSliceRows=64");

    assertThat(flink.log() + flink.out(), flink.exitCode(), equalTo(0));
    assertThat(parityRow(flink, TOKENS).get(2), equalTo(String.valueOf(TOKEN_ROWS)));
    assertThat(StoreChecksum.report(StoreChecksum.compute(database)), equalTo(direct));
  }
}
