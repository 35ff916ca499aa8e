package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.samples.EmbeddedPostgresServer;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.testing.embeddings.EmbeddingStandIn;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice health} through the real servers: the embedded PostgreSQL stopped and started
 * again, a Flink MiniCluster's REST API, the embedding endpoint stand-in, each up, then down or
 * refusing, each line's verdict and the exit code, and no secret in what it prints.
 */
public class HealthCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-health-secret";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static CliRun health(String... flags) {
    List<String> args = new ArrayList<>(List.of("health"));
    args.addAll(List.of(flags));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** The line of one dependency: verdict, name, reason. */
  private static String line(CliRun run, String dependency) {
    return run.out()
        .lines()
        .filter(line -> line.matches("\\S+\\s+" + dependency + "\\s.*"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + dependency + " line in:\n" + run.out()));
  }

  @Test
  public void theEmbeddedDefaultIsHealthyWithTheModelLoaded() throws Exception {
    CliRun run = health("--workDir=" + folder.newFolder("work"));

    assertThat(run.out() + run.log(), run.exitCode(), equalTo(0));
    assertThat(run.log(), containsString("checking the embedded PostgreSQL"));
    assertThat(line(run, "postgresql"), matchesPattern("ok\\s+postgresql\\s+.*PostgreSQL \\d+.*"));
    assertThat(
        line(run, "embedding-model"),
        containsString("all-minilm-l6-v2-q loads and embeds, 384 dimensions"));
  }

  @Test
  public void aDatabaseThatStopsIsFailingAndHealthyWhenItIsBack() throws Exception {
    Path data = folder.newFolder("postgres").toPath();
    String up;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
      up = server.jdbcUrl();
      CliRun before = health("--databaseUrl=" + up);
      assertThat(before.out(), before.exitCode(), equalTo(0));
      assertThat(line(before, "postgresql"), containsString("no sluice schema yet"));
    }

    CliRun down = health("--databaseUrl=" + up);
    String back;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
      back = server.jdbcUrl();
      CliRun again = health("--databaseUrl=" + back);
      assertThat(again.out(), again.exitCode(), equalTo(0));
    }

    assertThat(down.exitCode(), equalTo(1));
    assertThat(
        line(down, "postgresql"), matchesPattern("FAILING\\s+postgresql\\s+cannot connect.*"));
    assertThat("the other checks still ran", line(down, "embedding-model"), containsString("ok"));
  }

  @Test
  public void flinksRestApiIsAskedForItsVersionAndFreeSlots() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    Configuration configuration = new Configuration();
    configuration.set(RestOptions.BIND_PORT, "0");
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
    cluster.start();
    URI rest = cluster.getRestAddress().get();
    String master = rest.getHost() + ":" + rest.getPort();
    List<String> flags =
        List.of(
            "--databaseUrl=" + database.jdbcUrl(),
            "--runner=FlinkRunner",
            "--flinkMaster=" + master,
            "--parallelism=2");
    CliRun up;
    CliRun tooWide;
    try {
      up = health(flags.toArray(String[]::new));
      List<String> wide = new ArrayList<>(flags.subList(0, 3));
      wide.add("--parallelism=3");
      tooWide = health(wide.toArray(String[]::new));
    } finally {
      cluster.close();
    }
    CliRun down = health(flags.toArray(String[]::new));

    assertThat(up.out(), up.exitCode(), equalTo(0));
    assertThat(
        line(up, "flink"),
        matchesPattern(
            "ok\\s+flink\\s+"
                + master
                + ": Flink 1\\.19\\.\\d+, 1 TaskManagers, 2 of 2 slots free \\(the job needs 2\\)"));
    assertThat(tooWide.exitCode(), equalTo(1));
    assertThat(
        line(tooWide, "flink"), containsString("fewer free slots than the job's parallelism 3"));
    assertThat(down.exitCode(), equalTo(1));
    assertThat(line(down, "flink"), containsString("cannot reach Flink's REST API at " + master));
  }

  @Test
  public void anEndpointAnswersOnceThenRefusesAWrongKeyAndIsFailingWhenDown() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    Path key = folder.newFile("key").toPath();
    Path wrongKey = folder.newFile("wrong-key").toPath();
    Files.writeString(key, KEY);
    Files.writeString(wrongKey, "sk-wrong-secret");
    EmbeddingStandIn server =
        new EmbeddingStandIn("health-model", 32, KEY, 64, Duration.ofSeconds(5));
    String url = server.url();
    List<String> endpoint =
        List.of(
            "--databaseUrl=" + database.jdbcUrl(),
            "--embeddingEndpoint=" + url,
            "--embeddingModel=health-model",
            "--embeddingDimension=32",
            "--maxRetries=1",
            "--embeddingTimeoutSeconds=2");
    CliRun up;
    CliRun refused;
    CliRun json;
    try {
      up = health(with(endpoint, "--embeddingApiKeyFile=" + key));
      refused = health(with(endpoint, "--embeddingApiKeyFile=" + wrongKey));
      json = health(with(endpoint, "--embeddingApiKeyFile=" + key, "--json"));
    } finally {
      server.close();
    }
    CliRun down = health(with(endpoint, "--embeddingApiKeyFile=" + key));

    assertThat(up.out() + up.log(), up.exitCode(), equalTo(0));
    assertThat(
        line(up, "embedding-endpoint"),
        containsString(url + " answers for model health-model with 32 dimensions"));
    assertThat(refused.exitCode(), equalTo(1));
    assertThat(
        line(refused, "embedding-endpoint"),
        matchesPattern("FAILING\\s+embedding-endpoint\\s+.*401.*"));
    assertThat(down.exitCode(), equalTo(1));
    assertThat(line(down, "embedding-endpoint"), containsString("FAILING"));
    for (CliRun run : List.of(up, refused, json, down)) {
      assertThat(run.out() + run.log(), not(containsString(KEY)));
      assertThat(run.out() + run.log(), not(containsString("sk-wrong-secret")));
    }

    JsonNode report = JSON.readTree(json.out());
    assertThat(report.path("healthy").asBoolean(), equalTo(true));
    assertThat(report.path("checks").get(0).path("dependency").asText(), equalTo("postgresql"));
    assertThat(
        report.path("checks").get(0).path("facts").path("migrations_pending").asInt(), equalTo(0));
    assertThat(
        report.path("checks").get(1).path("dependency").asText(), equalTo("embedding-endpoint"));
    assertThat(report.path("checks").get(1).path("facts").path("dimension").asInt(), equalTo(32));
  }

  @Test
  public void anUnknownFlagIsAUsageError() {
    CliRun run = health("--noSuchFlag=1");

    assertThat(run.exitCode(), equalTo(2));
  }

  private static String[] with(List<String> flags, String... more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
