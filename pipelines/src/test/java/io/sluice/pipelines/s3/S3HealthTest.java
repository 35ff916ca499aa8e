package io.sluice.pipelines.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice health} on {@code s3://} inputs against the real S3-compatible server: a listable
 * bucket, a missing one, refused credentials, the server stopped and started again.
 */
public class S3HealthTest {
  @ClassRule public static final S3ProxyServer SERVER = new S3ProxyServer();

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static DatabaseConfig database;

  /** One bucket with the samples below in/, and one database, for every test. */
  @BeforeClass
  public static void bucketAndDatabase() throws Exception {
    Path local = FOLDER.newFolder("samples").toPath();
    SampleCorpus.writeTo(local);
    SERVER.upload("health", "in/", local);
    database = TestDatabases.fresh();
  }

  @After
  public void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static CliRun health(String secret, String... inputs) throws Exception {
    // The default AWS provider chain reads these as it reads AWS_ACCESS_KEY_ID and friends.
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", secret);
    List<String> args =
        new ArrayList<>(
            List.of("health", "--databaseUrl=" + database.jdbcUrl(), "--s3MaxAttempts=1"));
    args.addAll(SERVER.flags());
    for (String input : inputs) {
      args.add("--input=" + input);
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  private static List<String> s3Lines(CliRun run) {
    return run.out().lines().filter(line -> line.matches("\\S+\\s+s3\\s.*")).toList();
  }

  @Test
  public void eachInputBucketIsListedAndAMissingOneIsFailing() throws Exception {
    CliRun run = health(S3ProxyServer.SECRET_KEY, "s3://health/in/", "s3://no-such-bucket/in/");

    assertThat(run.exitCode(), equalTo(1));
    List<String> lines = s3Lines(run);
    assertThat(
        lines.get(0), matchesPattern("ok\\s+s3\\s+s3://health/in/: listable, \\d+ objects match"));
    assertThat(lines.get(1), containsString("FAILING"));
    assertThat(lines.get(1), containsString("bucket of s3://no-such-bucket/in/ does not exist"));
  }

  @Test
  public void refusedCredentialsAreFailingWithoutTheSecret() throws Exception {
    CliRun run = health("not-the-secret", "s3://health/in/");

    assertThat(run.exitCode(), equalTo(1));
    assertThat(
        s3Lines(run).get(0), containsString("S3 refused the credentials for s3://health/in/"));
    assertThat(run.out() + run.log(), not(containsString("not-the-secret")));
  }

  @Test
  public void aStoppedServerIsFailingAndHealthyWhenItIsBack() throws Exception {
    SERVER.stop();
    CliRun down;
    try {
      down = health(S3ProxyServer.SECRET_KEY, "s3://health/in/");
    } finally {
      SERVER.start();
    }
    CliRun up = health(S3ProxyServer.SECRET_KEY, "s3://health/");

    assertThat(down.exitCode(), equalTo(1));
    assertThat(s3Lines(down).get(0), containsString("cannot reach the S3 endpoint"));
    assertThat(up.out(), s3Lines(up).get(0), containsString("ok"));
  }
}
