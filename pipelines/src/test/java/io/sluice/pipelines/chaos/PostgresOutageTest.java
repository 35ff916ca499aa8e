package io.sluice.pipelines.chaos;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * PostgreSQL cutting sluice's connections again and again in the middle of a run ({@code
 * pg_terminate_backend}, as a failover or an administrator would): the writes retry with backoff on
 * fresh connections, the run completes, and the stores equal a clean run's.
 */
public class PostgresOutageTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void connectionsKilledMidRunAreRetriedAndTheRunEndsAsACleanOne() throws Exception {
    Path input = folder.newFolder("manuals").toPath();
    SampleCorpus.writeManuals(input, 16, 4);
    DatabaseConfig clean = TestDatabases.fresh();
    assertThat(
        CliRun.of("ingest", "--input=" + input, "--databaseUrl=" + clean.jdbcUrl()).exitCode(),
        equalTo(0));
    DatabaseConfig attacked = TestDatabases.fresh();

    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    "ingest",
                    "--input=" + input,
                    "--databaseUrl=" + attacked.jdbcUrl(),
                    "--runId=attacked"));
    long killed = 0;
    // Until half the documents are stored, every connection sluice holds is terminated.
    while (!run.isDone()
        && count(
                attacked,
                "SELECT count(*) FROM workflow.document_stages"
                    + " WHERE stage = 'store' AND status = 'completed'")
            < 8) {
      killed +=
          count(
              attacked,
              "SELECT count(*) FROM (SELECT pg_terminate_backend(pid)"
                  + " FROM pg_stat_activity WHERE application_name = 'sluice'"
                  + " AND datname = current_database() AND pid <> pg_backend_pid()) killed");
      Thread.sleep(150);
    }
    CliRun result = run.get();
    System.out.printf("chaos: connections terminated %d, run exit %d%n", killed, result.exitCode());

    assertThat(result.log() + result.out(), result.exitCode(), equalTo(0));
    assertThat(killed, greaterThan(0L));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(attacked)),
        equalTo(StoreChecksum.report(StoreChecksum.compute(clean))));
  }
}
