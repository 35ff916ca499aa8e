package io.sluice.pipelines.chaos;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.pipelines.ingest.IngestOptions;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A password in the database URL reaches PostgreSQL and nothing else: not the output, not the logs,
 * not the run records or failure rows, not the options a runner shows (Beam hands every serialized
 * option to the Flink web UI's job configuration).
 */
public class SecretsTest {
  private static final String SECRET = "Pw-7f3a9c-never-shown";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void aPasswordInTheDatabaseUrlAppearsNowhereSluiceWrites() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    String role = "sluice_writer";
    // Roles belong to the server, which other tests share.
    TestDatabases.execute(
        database,
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE"
            + " rolname = '"
            + role
            + "') THEN CREATE ROLE "
            + role
            + " LOGIN SUPERUSER PASSWORD '"
            + SECRET
            + "'; END IF; END$$");
    String url =
        database.jdbcUrl().replaceAll("\\?.*", "") + "?user=" + role + "&password=" + SECRET;
    Path input = folder.newFolder("samples").toPath();
    SampleCorpus.writeTo(input);

    CliRun ingest = CliRun.of("ingest", "--input=" + input, "--databaseUrl=" + url);
    CliRun status = CliRun.of("status", "--databaseUrl=" + url);
    CliRun unreachable =
        CliRun.of(
            "status",
            "--databaseUrl=jdbc:postgresql://127.0.0.1:1/db?user=" + role + "&password=" + SECRET);

    assertThat(ingest.log(), ingest.exitCode(), equalTo(0));
    assertThat(
        "failures were recorded, and so could have leaked",
        count(database, "SELECT count(*) FROM observability.request_failures"),
        greaterThan(0L));
    for (CliRun run : new CliRun[] {ingest, status, unreachable}) {
      assertThat(run.out() + run.log(), not(containsString(SECRET)));
    }
    assertThat(unreachable.log(), containsString("password=***"));
    assertThat(
        count(
            database,
            "SELECT (SELECT count(*) FROM workflow.run_records"
                + " WHERE payload::text LIKE '%"
                + SECRET
                + "%')"
                + " + (SELECT count(*) FROM observability.request_failures"
                + " WHERE message LIKE '%"
                + SECRET
                + "%' OR source_uri LIKE '%"
                + SECRET
                + "%')"
                + " + (SELECT count(*) FROM ingestion.documents"
                + " WHERE coalesce(error_message, '') || metadata::text LIKE '%"
                + SECRET
                + "%')"),
        equalTo(0L));

    IngestOptions flinkOptions =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--databaseUrl=" + url)
            .as(IngestOptions.class);
    assertThat(flinkOptions.getDatabaseUrl(), containsString(SECRET));
    assertThat(
        new SerializablePipelineOptions(flinkOptions).toString(), not(containsString(SECRET)));
  }
}
