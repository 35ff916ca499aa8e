package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A DirectRunner ingest of a folder stores its documents as they finish, not all at the end: the
 * first ones are in the store before half of the run's time has passed. (One pipeline over the
 * folder stored all of them in its last seconds.)
 */
public class StoredWhileRunningTest {
  private static final int DOCUMENTS = 60;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static long stored(DatabaseConfig database) throws Exception {
    return TestDatabases.count(
        database,
        "SELECT count(*) FROM workflow.document_stages"
            + " WHERE stage = 'store' AND status = 'completed'");
  }

  @Test
  public void theFirstDocumentsAreStoredWhileTheRunGoesOn() throws Exception {
    Path input = folder.newFolder("manuals").toPath();
    SampleCorpus.writeManuals(input, DOCUMENTS, 2);
    DatabaseConfig database = TestDatabases.fresh();

    long start = System.nanoTime();
    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () -> CliRun.of("ingest", "--input=" + input, "--databaseUrl=" + database.jdbcUrl()));
    long firstStoredNanos = -1;
    while (!run.isDone()) {
      if (firstStoredNanos < 0 && stored(database) > 0) {
        firstStoredNanos = System.nanoTime() - start;
      }
      Thread.sleep(50);
    }
    CliRun finished = run.get();
    long wallNanos = System.nanoTime() - start;

    assertThat(finished.log(), finished.exitCode(), equalTo(0));
    assertThat(stored(database), equalTo((long) DOCUMENTS));
    assertThat("a document was stored while the run went on", firstStoredNanos, greaterThan(0L));
    assertThat(
        "first stored after " + firstStoredNanos / 1e9 + " s of " + wallNanos / 1e9 + " s",
        (double) firstStoredNanos / wallNanos,
        lessThan(0.5));
  }
}
