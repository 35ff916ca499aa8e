package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice status} lists a finished run with the figures its ingest recorded when it ended,
 * and counts a running one: at ten million chunks, counting every listed run took seconds.
 */
public class StatusFiguresTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** The chunks column of the run's line in the list. */
  private static long chunksListed(DatabaseConfig database, String runId) {
    CliRun status = CliRun.of("status", "--databaseUrl=" + database.jdbcUrl());
    String line =
        status
            .out()
            .lines()
            .filter(each -> each.startsWith(runId + " "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no line for " + runId + " in\n" + status.out()));
    String[] columns = line.trim().split("\\s+");
    return Long.parseLong(columns[columns.length - 2]);
  }

  @Test
  public void aFinishedRunShowsItsRecordedFiguresAndARunningOneIsCounted() throws Exception {
    Path input = folder.newFolder("input").toPath();
    SampleCorpus.writeTo(input);
    DatabaseConfig database = TestDatabases.fresh();
    CliRun run = CliRun.ingest(input.toString(), database.jdbcUrl(), List.of("--runId=recorded"));
    assertThat(run.log(), run.exitCode(), equalTo(0));
    long chunks = TestDatabases.count(database, "SELECT count(*) FROM indexing.chunks");

    assertThat(chunksListed(database, "recorded"), equalTo(chunks));
    TestDatabases.execute(
        database,
        "UPDATE workflow.run_records SET payload = jsonb_set(payload, '{figures,chunksWritten}',"
            + " '123456') WHERE run_id = 'recorded'");
    assertThat(
        "the recorded figure, not a count", chunksListed(database, "recorded"), equalTo(123456L));
    TestDatabases.execute(
        database, "UPDATE workflow.run_records SET status = 'running' WHERE run_id = 'recorded'");
    assertThat("a running run is counted", chunksListed(database, "recorded"), equalTo(chunks));
  }
}
