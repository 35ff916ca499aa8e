package io.sluice.pipelines.s3;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.testing.TestDatabases;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code s3://} inputs against a real S3-compatible server (S3Proxy on 127.0.0.1), through the
 * command line: the same stores as the same files on disk, overwritten objects, clear errors, and a
 * server that stops and comes back in the middle of a run.
 */
public class S3IngestTest {
  @ClassRule public static final S3ProxyServer SERVER = new S3ProxyServer();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @BeforeClass
  public static void credentials() {
    // The default AWS provider chain reads these as it reads AWS_ACCESS_KEY_ID and friends.
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
  }

  @AfterClass
  public static void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static CliRun ingest(DatabaseConfig database, String input, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("ingest", "--input=" + input, "--databaseUrl=" + database.jdbcUrl()));
    List<String> extra = Arrays.asList(more);
    // Beam refuses a flag given twice: an explicit endpoint replaces the server's.
    SERVER.flags().stream()
        .filter(flag -> extra.stream().noneMatch(e -> e.startsWith(flag.split("=")[0] + "=")))
        .forEach(args::add);
    args.addAll(extra);
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Rows of a query, each with {@code root} cut from the front, so URIs compare by their tail. */
  private static Set<String> rows(DatabaseConfig database, String sql, String root)
      throws SQLException {
    Set<String> rows = new TreeSet<>();
    try (Connection connection = database.connect();
        ResultSet result = connection.createStatement().executeQuery(sql)) {
      while (result.next()) {
        rows.add(result.getString(1).replace(root, ""));
      }
    }
    return rows;
  }

  /** The checksum lines of the tables that hold no source URI. */
  private static List<String> contentDigests(DatabaseConfig database) throws SQLException {
    return StoreChecksum.compute(database).stream()
        .filter(
            table ->
                !table.table().equals("ingestion.sources")
                    && !table.table().equals("observability.request_failures"))
        .map(Object::toString)
        .toList();
  }

  /** Writes the sample documents to a folder and uploads them below s3://bucket/in/. */
  private Path samplesIn(String bucket) throws Exception {
    Path local = folder.newFolder(bucket).toPath();
    SampleCorpus.writeTo(local);
    SERVER.upload(bucket, "in/", local);
    return local;
  }

  @Test
  public void anS3PrefixIngestsExactlyLikeTheSameFilesOnDisk() throws Exception {
    Path local = samplesIn("corpus");
    DatabaseConfig fromS3 = TestDatabases.fresh();
    DatabaseConfig fromDisk = TestDatabases.fresh();

    CliRun s3 = ingest(fromS3, "s3://corpus/in/");
    CliRun disk = ingest(fromDisk, local.toString());

    assertThat(s3.log() + s3.out(), s3.exitCode(), equalTo(0));
    assertThat(disk.exitCode(), equalTo(0));
    assertThat(contentDigests(fromS3), equalTo(contentDigests(fromDisk)));
    String sources = "SELECT source_uri || ' ' || doc_id FROM ingestion.sources";
    assertThat(
        rows(fromS3, sources, "s3://corpus/in/"),
        equalTo(rows(fromDisk, sources, "file://" + local + "/")));
    String failures = "SELECT source_uri || ' ' || error_class FROM observability.request_failures";
    assertThat(
        rows(fromS3, failures, "s3://corpus/in/"),
        equalTo(rows(fromDisk, failures, "file://" + local + "/")));
    assertThat(
        count(
            fromS3,
            "SELECT count(*) FROM ingestion.sources"
                + " WHERE source_uri LIKE 's3://corpus/in/bundle.zip!/%'"),
        equalTo(3L));
  }

  @Test
  public void flinkReadsAnS3PrefixAsTheDirectRunnerDoes() throws Exception {
    samplesIn("flink");
    DatabaseConfig direct = TestDatabases.fresh();
    DatabaseConfig flink = TestDatabases.fresh();

    assertThat(ingest(direct, "s3://flink/in/").exitCode(), equalTo(0));
    // Streaming mode with checkpoints and the continuous match on the prefix, as on a cluster.
    CliRun onFlink =
        ingest(
            flink,
            "s3://flink/in/",
            "--runnerConfig=flink-local",
            "--pollIntervalSeconds=1",
            "--stopAfterIdleSeconds=2");

    assertThat(onFlink.log() + onFlink.out(), onFlink.exitCode(), equalTo(0));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(flink)),
        equalTo(StoreChecksum.report(StoreChecksum.compute(direct))));
  }

  @Test
  public void anObjectOverwrittenWithNewBytesIsAnUpdatedSource() throws Exception {
    String uri = "s3://updates/papers/paper.pdf";
    SERVER.upload("updates", "papers/", folder.newFolder("empty").toPath());
    SERVER.put(
        "updates",
        "papers/paper.pdf",
        SampleCorpus.textPdf("First", List.of("The first version of the paper.")));
    DatabaseConfig database = TestDatabases.fresh();
    assertThat(ingest(database, "s3://updates/papers/").exitCode(), equalTo(0));
    String first =
        TestDatabases.text(
            database, "SELECT doc_id FROM ingestion.sources WHERE source_uri = '" + uri + "'");

    SERVER.put(
        "updates",
        "papers/paper.pdf",
        SampleCorpus.textPdf("Second", List.of("A second version, with other words.")));
    assertThat(ingest(database, "s3://updates/papers/").exitCode(), equalTo(0));

    assertThat(
        TestDatabases.text(
            database, "SELECT doc_id FROM ingestion.sources WHERE source_uri = '" + uri + "'"),
        not(equalTo(first)));
    assertThat(
        count(database, "SELECT count(*) FROM indexing.chunks WHERE doc_id = '" + first + "'"),
        equalTo(0L));
    assertThat(count(database, "SELECT count(*) FROM ingestion.documents"), equalTo(1L));
  }

  @Test
  public void refusedCredentialsAMissingBucketAndAnUnreachableEndpointAreOneLineEach()
      throws Exception {
    SERVER.upload("guarded", "in/", folder.newFolder("one").toPath());
    DatabaseConfig database = TestDatabases.fresh();
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }

    System.setProperty("aws.secretAccessKey", "not-the-secret");
    CliRun refused;
    try {
      refused = ingest(database, "s3://guarded/in/");
    } finally {
      System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    }
    CliRun missing = ingest(database, "s3://no-such-bucket/in/");
    CliRun unreachable =
        ingest(
            database,
            "s3://guarded/in/",
            "--s3Endpoint=http://127.0.0.1:" + closedPort,
            "--s3MaxAttempts=2");

    assertOneErrorLine(refused, "S3 refused the credentials for s3://guarded/in/");
    assertOneErrorLine(missing, "bucket of s3://no-such-bucket/in/ does not exist");
    assertOneErrorLine(unreachable, "cannot reach the S3 endpoint for s3://guarded/in/");
    assertThat(count(database, "SELECT count(*) FROM workflow.run_records"), equalTo(0L));
    assertThat(count(database, "SELECT count(*) FROM ingestion.sources"), equalTo(0L));
  }

  private static void assertOneErrorLine(CliRun run, String message) {
    assertThat(run.exitCode(), not(equalTo(0)));
    List<String> errors =
        run.log().lines().filter(line -> line.startsWith("sluice: error: ")).toList();
    assertThat(run.log(), errors.size(), equalTo(1));
    assertThat(errors.get(0), containsString(message));
    assertThat(run.log(), not(containsString("\tat ")));
  }

  @Test
  public void aServerThatStopsAndComesBackMidRunLosesNothing() throws Exception {
    Path manuals = folder.newFolder("manuals").toPath();
    SampleCorpus.writeManuals(manuals, 12, 4);
    SERVER.upload("manuals", "", manuals);
    DatabaseConfig interrupted = TestDatabases.fresh();
    DatabaseConfig clean = TestDatabases.fresh();

    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(() -> ingest(interrupted, "s3://manuals/", "--runId=outage"));
    // The run record appears just before the pipeline starts reading.
    while (count(interrupted, "SELECT count(*) FROM workflow.run_records") == 0) {
      Thread.sleep(20);
    }
    SERVER.stop();
    Thread.sleep(2_000);
    SERVER.start();
    CliRun outage = run.get();

    assertThat(outage.log() + outage.out(), outage.exitCode(), equalTo(0));
    assertThat(
        count(interrupted, "SELECT count(*) FROM observability.request_failures"), equalTo(0L));
    assertThat(ingest(clean, "s3://manuals/").exitCode(), equalTo(0));
    assertThat(
        StoreChecksum.report(StoreChecksum.compute(interrupted)),
        equalTo(StoreChecksum.report(StoreChecksum.compute(clean))));
  }
}
