package io.sluice.pipelines.chaos;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.sluice.pipelines.cli.CliCommand;
import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The ingest JVM killed with SIGKILL at five points of a run, then started again until a run
 * completes: the stores end exactly as one clean run leaves them, nothing doubled, nothing lost,
 * and the ledger shows the documents the killed runs left unfinished completed by later runs. Runs
 * the packaged job jar, as a user does, so a kill takes the whole JVM.
 */
public class CrashRecoveryIT {
  private static final int DOCUMENTS = 24;

  /** Documents stored when each kill comes: early, then later and later in the corpus. */
  private static final List<Integer> KILL_AFTER_STORED = List.of(0, 3, 8, 13, 19);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static long stored(DatabaseConfig database) throws Exception {
    return count(
        database,
        "SELECT count(*) FROM workflow.document_stages"
            + " WHERE stage = 'store' AND status = 'completed'");
  }

  private static Process ingest(
      Path input, DatabaseConfig database, String runId, Path log, String... flags)
      throws Exception {
    List<String> arguments =
        new ArrayList<>(List.of("ingest", "--input=" + input, "--runId=" + runId));
    arguments.addAll(List.of(flags));
    ProcessBuilder sluice =
        new ProcessBuilder(
                CliCommand.of(
                    Path.of(System.getProperty("sluice.jobJar")), List.of("-Xmx1g"), arguments))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The database from the environment, as a deployment keeps a password out of `ps`.
    sluice.environment().put("SLUICE_DATABASE_URL", database.jdbcUrl());
    return sluice.start();
  }

  /** A database holding what one uninterrupted run of the folder leaves. */
  private static DatabaseConfig cleanRun(Path input) throws Exception {
    DatabaseConfig clean = TestDatabases.fresh();
    assertThat(
        CliRun.of("ingest", "--input=" + input, "--databaseUrl=" + clean.jdbcUrl()).exitCode(),
        equalTo(0));
    return clean;
  }

  @Test
  public void killedFiveTimesTheStoresEndAsOneCleanRunLeavesThem() throws Exception {
    Path input = folder.newFolder("manuals").toPath();
    SampleCorpus.writeManuals(input, DOCUMENTS, 4);
    DatabaseConfig clean = cleanRun(input);
    DatabaseConfig crashed = TestDatabases.fresh();

    int kills = 0;
    for (int point = 0; point < KILL_AFTER_STORED.size(); point++) {
      Process run =
          ingest(
              input,
              crashed,
              "killed-" + point,
              folder.getRoot().toPath().resolve("killed-" + point + ".log"));
      // Kill once the run has stored more than the threshold, or, for the first point, as soon
      // as it has recorded that it started (before any document is stored).
      long threshold = KILL_AFTER_STORED.get(point);
      while (run.isAlive()
          && (point == 0
              ? count(crashed, "SELECT count(*) FROM workflow.run_records") == 0
              : stored(crashed) <= threshold)) {
        Thread.sleep(20);
      }
      if (run.isAlive()) {
        run.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by the client
        run.waitFor(30, TimeUnit.SECONDS);
        kills++;
      }
    }
    long storedBeforeFinal = stored(crashed);
    Process last = ingest(input, crashed, "final", folder.getRoot().toPath().resolve("final.log"));
    assertThat(last.waitFor(5, TimeUnit.MINUTES) && last.exitValue() == 0, equalTo(true));

    long lost =
        DOCUMENTS
            - count(crashed, "SELECT count(*) FROM ingestion.documents" + " WHERE status = 'ok'");
    long duplicates =
        count(
            crashed,
            "SELECT (SELECT count(*) FROM indexing.chunks)"
                + " - (SELECT count(DISTINCT (doc_id, char_start, char_end)) FROM indexing.chunks)");
    long completedLater =
        count(
            crashed,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND status = 'completed' AND run_id <> 'killed-0'");
    long redone =
        count(
            crashed,
            "SELECT coalesce((payload->>'documents_redone')::bigint, 0)"
                + " FROM workflow.run_records WHERE run_id = 'final' AND record_kind = 'run'");
    long leftInProgress =
        count(
            crashed,
            "SELECT count(*) FROM workflow.document_stages" + " WHERE status = 'in_progress'");
    System.out.printf(
        "chaos: faults injected %d (SIGKILL), documents stored before the final run"
            + " %d of %d, completed by the final run %d (of them redone after a killed run's claim"
            + " %d), documents completed after a crash %d, claims left in progress %d,"
            + " duplicates found %d, lost %d%n",
        kills,
        storedBeforeFinal,
        DOCUMENTS,
        DOCUMENTS - storedBeforeFinal,
        redone,
        completedLater,
        leftInProgress,
        duplicates,
        lost);

    assertThat(kills, equalTo(KILL_AFTER_STORED.size()));
    assertThat(lost, equalTo(0L));
    assertThat(leftInProgress, equalTo(0L));
    assertThat(duplicates, equalTo(0L));
    assertThat(completedLater, greaterThan(0L));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(crashed)),
        equalTo(StoreChecksum.report(StoreChecksum.compute(clean))));
  }

  /**
   * SIGKILL once four fifths of a folder are stored, then a second run: the documents the killed
   * run had finished stay done, and only those it had in flight (claimed, not stored: at most two
   * waves of files) are redone, as the run report's redone count shows.
   */
  @Test
  public void killedAtFourFifthsOnlyTheDocumentsInFlightAreRedone() throws Exception {
    int documents = 60;
    int waveFiles = 4;
    Path input = folder.newFolder("folder").toPath();
    SampleCorpus.writeManuals(input, documents, 2);
    DatabaseConfig clean = cleanRun(input);
    DatabaseConfig crashed = TestDatabases.fresh();
    Path logs = folder.getRoot().toPath();

    Process killed =
        ingest(input, crashed, "killed", logs.resolve("killed.log"), "--waveFiles=" + waveFiles);
    while (killed.isAlive() && stored(crashed) < documents * 4 / 5) {
      Thread.sleep(20);
    }
    assertThat("the run was still going at four fifths", killed.isAlive(), equalTo(true));
    killed.destroyForcibly();
    killed.waitFor(30, TimeUnit.SECONDS);
    long storedAtKill = stored(crashed);
    long inFlight =
        count(
            crashed,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE status = 'in_progress' AND run_id = 'killed'");

    Process again = ingest(input, crashed, "again", logs.resolve("again.log"));
    assertThat(again.waitFor(5, TimeUnit.MINUTES) && again.exitValue() == 0, equalTo(true));
    long redone =
        count(
            crashed,
            "SELECT coalesce((payload->>'documents_redone')::bigint, 0)"
                + " FROM workflow.run_records WHERE run_id = 'again' AND record_kind = 'run'");
    long completedAgain =
        count(
            crashed,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND status = 'completed' AND run_id = 'again'");
    System.out.printf(
        "chaos: SIGKILL at %d of %d documents stored; in flight %d; the next run redid %d and"
            + " completed %d%n",
        storedAtKill, documents, inFlight, redone, completedAgain);

    assertThat(storedAtKill, greaterThanOrEqualTo((long) documents * 4 / 5));
    assertThat(inFlight, lessThanOrEqualTo(2L * waveFiles));
    assertThat(redone, equalTo(inFlight));
    assertThat(completedAgain, equalTo(documents - storedAtKill));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(crashed)),
        equalTo(StoreChecksum.report(StoreChecksum.compute(clean))));
  }
}
