package io.sluice.pipelines.flink;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;

import io.sluice.pipelines.cli.CliCommand;
import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.LegacySamples;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * sluice on a real, stock Flink standalone cluster, as users run it (one JobManager and two
 * TaskManagers with one slot each and the distribution's configuration, class loading included;
 * nothing of sluice on the cluster's class path; started by the project's own script): jobs one
 * after another on the same TaskManagers, cancelled and submitted again, with their counters in
 * Flink's REST API; resume from a checkpoint after a TaskManager is killed and from a savepoint
 * after a stop; a watched folder ingested as files arrive, a bad one counted as a failure; each
 * ending with the stores of one clean DirectRunner run; and the backfill as a batch job.
 */
public class FlinkClusterIT {
  private static final int MANUALS = 40;
  private static final int PAGES = 8;
  // Fewer: the savepoint's barrier queues behind the files matched before it, so all of them are
  // stored before the stop whatever their number.
  private static final int SAVEPOINT_MANUALS = 16;

  /**
   * Stores of one clean DirectRunner run, by input folders: tests that read the same folders into
   * fresh databases share one reference run, the slowest part of each test on two cores.
   */
  private static final Map<List<Path>, String> REFERENCES = new ConcurrentHashMap<>();

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  @ClassRule public static final FlinkCluster CLUSTER = new FlinkCluster(home(), 2);

  private static Path home() {
    try {
      return Files.createTempDirectory("sluice-flink-it");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @After
  public void cancelLeftovers() throws Exception {
    CLUSTER.cancelAll();
  }

  /** The flink-cluster runner config, pointed at the test cluster, with short test timings. */
  private static String[] ingest(
      DatabaseConfig database, List<Path> inputs, String runId, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ingest",
                "--runnerConfig=flink-cluster",
                "--flinkMaster=" + CLUSTER.master(),
                "--filesToStage=" + System.getProperty("sluice.jobJar"),
                "--databaseUrl=" + database.jdbcUrl(),
                "--runId=" + runId,
                "--checkpointingInterval=2000",
                "--pollIntervalSeconds=1"));
    inputs.forEach(input -> args.add("--input=" + input));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static String directRunChecksum(List<Path> inputs) {
    return REFERENCES.computeIfAbsent(List.copyOf(inputs), FlinkClusterIT::cleanDirectRun);
  }

  private static String cleanDirectRun(List<Path> inputs) {
    try {
      DatabaseConfig reference = TestDatabases.fresh();
      List<String> args =
          new ArrayList<>(List.of("ingest", "--databaseUrl=" + reference.jdbcUrl()));
      inputs.forEach(input -> args.add("--input=" + input));
      assertThat(CliRun.of(args.toArray(String[]::new)).exitCode(), equalTo(0));
      return StoreChecksum.report(StoreChecksum.compute(reference));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same manuals for every test that ingests only them, so their reference run is shared. */
  private static synchronized Path manuals() throws java.io.IOException {
    Path folder = FOLDER.getRoot().toPath().resolve("manuals");
    if (!Files.isDirectory(folder)) {
      SampleCorpus.writeManuals(folder, MANUALS, PAGES);
    }
    return folder;
  }

  private static long stored(DatabaseConfig database) {
    return rows(
        database,
        "SELECT count(*) FROM workflow.document_stages"
            + " WHERE stage = 'store' AND status = 'completed'");
  }

  private static long rows(DatabaseConfig database, String countQuery) {
    try {
      return count(database, countQuery);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long counter(String job, String name) {
    try {
      return CLUSTER.counters(job).getOrDefault(name, 0L);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the counters of job " + job, e);
    }
  }

  private static void waitUntil(String what, LongSupplier value, long atLeast) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (value.getAsLong() >= atLeast) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what + " to reach " + atLeast);
  }

  /**
   * Three jobs in a row on the same two TaskManagers, each in a new user class loader that must
   * load the native tokenizer and ONNX Runtime again: one run to its end, one cancelled midway (its
   * counters read from the REST API while it runs), then the cancelled one submitted again.
   */
  @Test
  public void jobsRunOneAfterAnotherOnTheSameTaskManagersCancelledAndResubmitted()
      throws Exception {
    List<String> taskManagers = CLUSTER.taskManagerIds();
    Path samples = FOLDER.newFolder("samples").toPath();
    SampleCorpus.writeTo(samples);
    DatabaseConfig first = TestDatabases.fresh();
    CliRun run =
        CliRun.of(ingest(first, List.of(samples), "first-job", "--stopAfterIdleSeconds=2"));
    assertThat(run.log(), run.exitCode(), equalTo(0));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(first)),
        equalTo(directRunChecksum(List.of(samples))));

    Path manuals = manuals();
    DatabaseConfig second = TestDatabases.fresh();
    CompletableFuture<CliRun> cancelled =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    ingest(second, List.of(manuals), "cancelled-job", "--stopAfterIdleSeconds=4")));
    String job = CLUSTER.runningJob();
    waitUntil("documents stored", () -> stored(second), 5);
    // The JobManager fetches the TaskManagers' metrics every 10 s, so the REST API lags the store.
    waitUntil(
        "the documents written counted", () -> counter(job, "PostgresWrite_documents_written"), 1);
    Map<String, Long> counters = CLUSTER.counters(job);
    System.out.printf("Beam counters over Flink's REST API while the job runs: %s%n", counters);
    assertThat(counters.get("ReadSources_documents_read"), greaterThan(0L));
    assertThat(counters.get("EmbedChunks_chunks_embedded"), greaterThan(0L));
    assertThat(counters.get("PostgresWrite_documents_written"), greaterThan(0L));
    assertThat(counters, hasKey("ClaimUnsettled_documents_claimed"));
    CLUSTER.cancel(job);
    cancelled.get(2, TimeUnit.MINUTES);
    long storedBeforeCancel = stored(second);
    assertThat(storedBeforeCancel, lessThan((long) MANUALS));

    CliRun resubmitted =
        CliRun.of(ingest(second, List.of(manuals), "resubmitted-job", "--stopAfterIdleSeconds=2"));
    assertThat(resubmitted.log(), resubmitted.exitCode(), equalTo(0));
    assertThat(stored(second), equalTo((long) MANUALS));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(second)),
        equalTo(directRunChecksum(List.of(manuals))));
    assertThat(
        "the same TaskManagers ran all three", CLUSTER.taskManagerIds(), equalTo(taskManagers));
    finishedJobsLeaveNoClassLoaderBehind();
  }

  /**
   * Every job used to leave its class loader on the TaskManagers (JNA's cleaner thread, ONNX
   * Runtime's shutdown hook, the JDBC drivers), about 30 MB of Metaspace each, and a TaskManager
   * failed with "OutOfMemoryError: Metaspace" at its ninth job; here that would be three loaders or
   * more on each. Up to two may stay whatever the number of jobs: Java 17's MethodHandle.asType
   * caches hold the last record class they saw (JDK-8078641, fixed in Java 18), and a loader may
   * still be on its way out. JNA's thread ends 30 s after its last library closes, so the count is
   * read until it settles.
   */
  private static void finishedJobsLeaveNoClassLoaderBehind() throws Exception {
    Map<Long, Long> loaders = CLUSTER.jobClassLoaders();
    for (int i = 0; i < 18 && loaders.values().stream().anyMatch(count -> count > 2); i++) {
      Thread.sleep(5_000);
      loaders = CLUSTER.jobClassLoaders();
    }
    System.out.printf("job class loaders left on each TaskManager, by pid: %s%n", loaders);
    assertThat(
        "job class loaders on each TaskManager after its jobs ended: " + loaders,
        loaders.values().stream().allMatch(count -> count <= 2),
        equalTo(true));
  }

  /**
   * The catalogue's other models are not in the job jar: run as users run it (the CLI from the job
   * jar, no --filesToStage), the job is sent with the chosen model's jar, and the workers embed
   * with it.
   */
  @Test
  public void aCatalogueModelOutsideTheJobJarIsSentWithTheJob() throws Exception {
    Path all = FOLDER.newFolder("bge-samples").toPath();
    SampleCorpus.writeTo(all);
    Path handbook = FOLDER.newFolder("bge-handbook").toPath();
    Files.copy(all.resolve("handbook.pdf"), handbook.resolve("handbook.pdf"));
    DatabaseConfig database = TestDatabases.fresh();
    List<String> arguments =
        new ArrayList<>(List.of(ingest(database, List.of(handbook), "bge-job")));
    arguments.removeIf(argument -> argument.startsWith("--filesToStage="));
    arguments.addAll(List.of("--embeddingModel=bge-small-en-v1.5-q", "--stopAfterIdleSeconds=2"));
    Path log = FOLDER.getRoot().toPath().resolve("bge-job.log");
    Process sluice =
        new ProcessBuilder(
                CliCommand.of(
                    Path.of(System.getProperty("sluice.jobJar")), List.of("-Xmx1g"), arguments))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();

    assertThat(sluice.waitFor(5, TimeUnit.MINUTES), equalTo(true));
    assertThat(Files.readString(log), sluice.exitValue(), equalTo(0));
    assertThat(
        TestDatabases.text(database, "SELECT embedding_model FROM indexing.index_versions"),
        equalTo("bge-small-en-v1.5-q"));
    assertThat(count(database, "SELECT count(*) FROM indexing.vectors"), greaterThan(0L));
    assertThat(
        count(database, "SELECT count(*) FROM indexing.vectors"),
        equalTo(count(database, "SELECT count(*) FROM indexing.chunks")));
  }

  @Test
  public void aBackfillIsABatchJobOnTheClusterThatStoresWhatTheDirectRunnerStores()
      throws Exception {
    Path legacy = FOLDER.newFolder("legacy").toPath();
    LegacySamples.writeTo(legacy, 500);
    List<String> sources =
        List.of(
            "backfill",
            "--sqliteDir=" + legacy.resolve(LegacySamples.SQLITE),
            "--reportsDir=" + legacy.resolve(LegacySamples.REPORTS),
            "--backfillSliceRows=200");
    DatabaseConfig direct = TestDatabases.fresh();
    DatabaseConfig cluster = TestDatabases.fresh();
    List<String> onCluster = new ArrayList<>(sources);
    onCluster.addAll(
        List.of(
            "--runnerConfig=flink-cluster",
            "--flinkMaster=" + CLUSTER.master(),
            "--filesToStage=" + System.getProperty("sluice.jobJar"),
            "--databaseUrl=" + cluster.jdbcUrl()));
    List<String> inThisJvm = new ArrayList<>(sources);
    inThisJvm.add("--databaseUrl=" + direct.jdbcUrl());

    CliRun run = CliRun.of(onCluster.toArray(String[]::new));

    assertThat(run.log() + run.out(), run.exitCode(), equalTo(0));
    assertThat(run.out(), containsString("parity holds"));
    assertThat(CliRun.of(inThisJvm.toArray(String[]::new)).exitCode(), equalTo(0));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(cluster)),
        equalTo(StoreChecksum.report(StoreChecksum.compute(direct))));
  }

  @Test
  public void aKilledTaskManagerIsRecoveredFromTheLastCheckpoint() throws Exception {
    Path manuals = manuals();
    DatabaseConfig database = TestDatabases.fresh();
    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    ingest(database, List.of(manuals), "crash-run", "--stopAfterIdleSeconds=4")));
    waitUntil("documents stored", () -> stored(database), 10);
    long storedBeforeCrash = stored(database);
    CLUSTER.killTaskManager(1);
    CLUSTER.startTaskManager();
    CliRun finished = run.get(10, TimeUnit.MINUTES);

    assertThat(finished.log(), finished.exitCode(), equalTo(0));
    assertThat(storedBeforeCrash, lessThan((long) MANUALS));
    assertThat(stored(database), equalTo((long) MANUALS));
    long storedTwice =
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND attempts > 1");
    System.out.printf(
        "TaskManager killed after %d of %d documents were stored; %d documents "
            + "were stored a second time after the restart%n",
        storedBeforeCrash, MANUALS, storedTwice);
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(database)),
        equalTo(directRunChecksum(List.of(manuals))));
  }

  @Test
  public void aJobStoppedWithASavepointResumesWithOnlyUnfinishedAndNewFiles() throws Exception {
    Path manuals = FOLDER.newFolder("savepoint").toPath();
    Path later = FOLDER.newFolder("savepoint-later").toPath();
    SampleCorpus.writeManuals(manuals, SAVEPOINT_MANUALS, PAGES);
    DatabaseConfig database = TestDatabases.fresh();
    // The match must still be polling at the savepoint, so that the resumed job sees new files.
    CompletableFuture<CliRun> first =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    ingest(
                        database,
                        List.of(manuals, later),
                        "before-savepoint",
                        "--stopAfterIdleSeconds=20")));
    waitUntil("documents stored", () -> stored(database), 4);
    String savepoint = CLUSTER.stopWithSavepoint(CLUSTER.runningJob());
    CliRun stopped = first.get(5, TimeUnit.MINUTES);
    assertThat(stopped.log(), stopped.exitCode(), equalTo(0));
    // Savepoints are aligned: what was matched before the barrier is stored before the stop.
    long storedBeforeStop = stored(database);

    // Three new files, different from the others (fewer pages), arrive while the job is down.
    SampleCorpus.writeManuals(later, 3, 2);
    CliRun resumed =
        CliRun.of(
            ingest(
                database,
                List.of(manuals, later),
                "after-savepoint",
                "--stopAfterIdleSeconds=4",
                "--savepointPath=" + savepoint));
    assertThat(resumed.log(), resumed.exitCode(), equalTo(0));

    assertThat(stored(database), equalTo(SAVEPOINT_MANUALS + 3L));
    long storedAfterResume =
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND run_id = 'after-savepoint'");
    System.out.printf(
        "stop-with-savepoint: %d of %d documents stored before the stop; the "
            + "resumed job stored %d (3 new)%n",
        storedBeforeStop, SAVEPOINT_MANUALS, storedAfterResume);
    assertThat(storedAfterResume, equalTo(SAVEPOINT_MANUALS + 3L - storedBeforeStop));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages WHERE stage ="
                + " 'extract' AND run_id = 'after-savepoint'"),
        equalTo(storedAfterResume));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND attempts > 1"),
        equalTo(0L));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(database)),
        equalTo(directRunChecksum(List.of(manuals, later))));
  }

  @Test
  public void aWatchedFolderIsIngestedAsFilesArriveWithoutRestartingTheJob() throws Exception {
    Path inbox = FOLDER.newFolder("inbox").toPath();
    Path staging = FOLDER.newFolder("staging").toPath();
    List<Path> arrivals = SampleCorpus.writeManuals(staging, 2, 2);
    DatabaseConfig database = TestDatabases.fresh();
    CompletableFuture<CliRun> watching =
        CompletableFuture.supplyAsync(
            () -> CliRun.of(ingest(database, List.of(inbox), "watch", "--watch=true")));
    String job = CLUSTER.runningJob();
    for (int i = 0; i < arrivals.size(); i++) {
      Path arrival = arrivals.get(i);
      // Moved in whole, as a careful producer does, so the watcher never sees half a file.
      Files.move(arrival, inbox.resolve(arrival.getFileName()));
      waitUntil("the new file stored", () -> stored(database), i + 1);
      assertThat(CLUSTER.isRunning(job), equalTo(true));
    }
    assertThat(count(database, "SELECT count(*) FROM indexing.chunks"), greaterThan(0L));
    // A bad file arriving is a failure the job counts, over Flink's REST API, and goes on from.
    Files.writeString(staging.resolve("not-a-pdf.pdf"), "<html><body>a web page</body></html>");
    Files.move(staging.resolve("not-a-pdf.pdf"), inbox.resolve("not-a-pdf.pdf"));
    waitUntil("the failure counted", () -> counter(job, "CountFailures_failed_not_pdf"), 1);
    waitUntil(
        "the failure stored",
        () ->
            rows(
                database,
                "SELECT count(*) FROM observability.request_failures WHERE error_class = 'not_pdf'"),
        1);
    assertThat(CLUSTER.isRunning(job), equalTo(true));
    CLUSTER.cancel(job);
    watching.get(2, TimeUnit.MINUTES);
  }
}
