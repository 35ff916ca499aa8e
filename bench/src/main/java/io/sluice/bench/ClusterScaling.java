package io.sluice.bench;

import io.sluice.pipelines.cli.CliCommand;
import io.sluice.sinks.postgres.DatabaseConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a Flink cluster buys (P6), measured fairly on a small machine: the per-JVM model pool of one
 * TaskManager already uses every core it can see, so parallelism 2 in one JVM cannot beat 1.
 * Instead one TaskManager pinned to one core runs the job at parallelism 1, then two TaskManagers
 * pinned to a core each run it at parallelism 2: same input, same job jar, a stock cluster from
 * {@code runner-configs/flink-cluster.sh} each time. The rate is chunks embedded over the
 * processing window the ledger records (first extraction started to last document stored), so job
 * submission and the idle wait before a finite job ends count in neither.
 */
final class ClusterScaling {
  private static final Duration LIMIT = Duration.ofMinutes(30);

  /** One job on one cluster: the run as the bench reads it, and its processing window. */
  record Run(PipelineRun pipeline, double windowSeconds) {
    double chunksPerSecond() {
      return windowSeconds > 0 ? pipeline.chunksEmbedded() / windowSeconds : 0;
    }
  }

  private final Path root;
  private final Path jobJar;
  private final Path home;

  ClusterScaling(Path root, Path jobJar, Path home) {
    this.root = root;
    this.jobJar = jobJar;
    this.home = home;
  }

  /** Runs the corpus on {@code taskManagers} TaskManagers, one core and one slot each. */
  Run measure(int taskManagers, Path corpus, DatabaseConfig database, String runId)
      throws Exception {
    Path clusterHome = home.resolve("cluster-" + taskManagers);
    Map<String, String> environment =
        Map.of(
            "SLUICE_FLINK_HOME", clusterHome.toString(),
            "SLUICE_FLINK_REST_PORT", Integer.toString(freePort()),
            "SLUICE_FLINK_RPC_PORT", Integer.toString(freePort()),
            "SLUICE_FLINK_TASKMANAGER_CPUS", taskManagers == 1 ? "0" : "0,1");
    script(environment, "start", "--taskmanagers=" + taskManagers);
    try {
      List<String> arguments =
          new ArrayList<>(
              List.of(
                  "ingest",
                  "--runnerConfig=flink-cluster",
                  "--flinkMaster=127.0.0.1:" + environment.get("SLUICE_FLINK_REST_PORT"),
                  "--parallelism=" + taskManagers,
                  "--input=" + corpus,
                  "--databaseUrl=" + database.jdbcUrl(),
                  "--runId=" + runId,
                  "--stopAfterIdleSeconds=2",
                  "--pollIntervalSeconds=1"));
      PipelineRun pipeline =
          PipelineRun.of(
              MeasuredProcess.run(CliCommand.of(jobJar, List.of("-Xmx1g"), arguments), root, LIMIT),
              database,
              runId);
      return new Run(pipeline, windowSeconds(database, runId));
    } finally {
      script(environment, "stop");
    }
  }

  /** From the run's first extraction to its last document stored, as its ledger rows say. */
  private static double windowSeconds(DatabaseConfig database, String runId) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                """
            SELECT extract(epoch FROM max(finished_at) FILTER (WHERE stage = 'store')
                                   - min(started_at) FILTER (WHERE stage = 'extract'))
            FROM workflow.document_stages WHERE run_id = ?""")) {
      query.setString(1, runId);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getDouble(1);
      }
    }
  }

  private void script(Map<String, String> environment, String... arguments)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("bash", root.resolve("runner-configs/flink-cluster.sh").toString()));
    command.addAll(List.of(arguments));
    Path log = home.resolve("cluster-script.log");
    Files.createDirectories(home);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    if (builder.start().waitFor() != 0) {
      throw new IllegalStateException(
          "flink-cluster.sh " + String.join(" ", arguments) + " failed; see " + log);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
