package io.sluice.pipelines.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.rules.ExternalResource;

/**
 * A real Flink standalone cluster for tests, started and stopped with the project's own script
 * (runner-configs/flink-cluster.sh) on free ports, and driven through Flink's REST API.
 */
final class FlinkCluster extends ExternalResource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final int taskManagers;
  private final HttpClient http = HttpClient.newHttpClient();
  private int restPort;
  private int rpcPort;

  FlinkCluster(Path home, int taskManagers) {
    this.home = home;
    this.taskManagers = taskManagers;
  }

  @Override
  protected void before() throws Throwable {
    restPort = freePort();
    rpcPort = freePort();
    script("start", "--taskmanagers=" + taskManagers);
  }

  @Override
  protected void after() {
    try {
      script("stop");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot stop the Flink cluster in " + home, e);
    }
  }

  /** The host and REST port the FlinkRunner submits to. */
  String master() {
    return "127.0.0.1:" + restPort;
  }

  Path savepoints() {
    return home.resolve("savepoints");
  }

  /** SIGKILL, as a crashed machine or the kernel's OOM killer would. */
  void killTaskManager(int index) throws IOException, InterruptedException {
    script("kill-taskmanager", Integer.toString(index));
  }

  void startTaskManager() throws IOException, InterruptedException {
    script("start-taskmanager");
  }

  /** Whether the job with this id is still running. */
  boolean isRunning(String jobId) throws Exception {
    return get("/jobs/" + jobId).path("state").asText().equals("RUNNING");
  }

  /** The id of the one running job, waiting up to a minute for it to appear. */
  String runningJob() throws Exception {
    for (int i = 0; i < 120; i++) {
      for (JsonNode job : get("/jobs/overview").path("jobs")) {
        if (job.path("state").asText().equals("RUNNING")) {
          return job.path("jid").asText();
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no job started running within a minute");
  }

  /** The ids of the registered TaskManagers, sorted. */
  List<String> taskManagerIds() throws Exception {
    List<String> ids = new ArrayList<>();
    get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
    Collections.sort(ids);
    return ids;
  }

  /**
   * The job's Beam counters as Flink's REST API shows them (as its web UI does), summed over every
   * subtask: Flink names each {@code <subtask>.<step>.<namespace>_<name>}, with the namespace's
   * dots as underscores; the key here is {@code <Class>_<name>}, e.g. {@code
   * EmbedChunks_chunks_embedded}.
   */
  Map<String, Long> counters(String jobId) throws Exception {
    Map<String, Long> counters = new TreeMap<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      String metrics = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/metrics";
      List<String> ids = new ArrayList<>();
      get(metrics)
          .forEach(
              metric -> {
                if (metric.path("id").asText().contains(".io_sluice_")) {
                  ids.add(metric.path("id").asText());
                }
              });
      if (ids.isEmpty()) {
        continue;
      }
      for (JsonNode metric : get(metrics + "?get=" + String.join(",", ids))) {
        String id = metric.path("id").asText();
        if (!metric.path("value").asText().matches("\\d+")) {
          continue; // a distribution, which Flink shows as a gauge of its summary
        }
        String name =
            id.substring(id.lastIndexOf('.') + 1).replaceFirst("^io_sluice_([a-z0-9]+_)+", "");
        counters.merge(name, metric.path("value").asLong(), Long::sum);
      }
    }
    return counters;
  }

  /** Stops the job with a savepoint and returns the savepoint's path. */
  String stopWithSavepoint(String jobId) throws Exception {
    JsonNode trigger =
        post(
            "/jobs/" + jobId + "/stop",
            "{\"targetDirectory\":\"" + savepoints().toUri() + "\",\"drain\":false}");
    String requestId = trigger.path("request-id").asText();
    for (int i = 0; i < 240; i++) {
      JsonNode status = get("/jobs/" + jobId + "/savepoints/" + requestId);
      if (status.path("status").path("id").asText().equals("COMPLETED")) {
        JsonNode operation = status.path("operation");
        if (operation.has("failure-cause")) {
          throw new IllegalStateException("savepoint failed: " + operation.path("failure-cause"));
        }
        return operation.path("location").asText();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the savepoint did not complete within two minutes");
  }

  /**
   * How many user-code class loaders each live TaskManager still holds after a full collection, by
   * TaskManager pid. Flink gives every job one; a finished job's must be collected. Flink's REST
   * API shows neither loaders nor a way to collect, so this asks the JDK's jcmd, whose class
   * histogram collects first.
   */
  Map<Long, Long> jobClassLoaders() throws IOException, InterruptedException {
    Map<Long, Long> loaders = new TreeMap<>();
    try (var files = java.nio.file.Files.list(home.resolve("pids"))) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().matches("taskmanager-\\d+\\.pid"))
              .toList()) {
        long pid = Long.parseLong(java.nio.file.Files.readString(file).trim());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          loaders.put(pid, instances(pid, "org.apache.flink.util.ChildFirstClassLoader"));
        }
      }
    }
    return loaders;
  }

  private static long instances(long pid, String className)
      throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String histogram = new String(jcmd.getInputStream().readAllBytes());
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: " + histogram);
    }
    // "  829:             4            416  org.apache.flink.util.ChildFirstClassLoader"
    return histogram
        .lines()
        .map(String::trim)
        .map(line -> line.split("\\s+"))
        .filter(columns -> columns.length == 4 && columns[3].equals(className))
        .mapToLong(columns -> Long.parseLong(columns[1]))
        .sum();
  }

  /** Cancels every job still running, so that one test's leftover cannot starve the next. */
  void cancelAll() throws Exception {
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      if (!job.path("state").asText().matches("FINISHED|CANCELED|FAILED")) {
        cancel(job.path("jid").asText());
      }
    }
  }

  void cancel(String jobId) throws Exception {
    http.send(
        HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private JsonNode post(String path, String body) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + restPort + path);
  }

  private void script(String... args) throws IOException, InterruptedException {
    Path script =
        Path.of(System.getProperty("sluice.projectDir", ".."))
            .toAbsolutePath()
            .resolve("runner-configs/flink-cluster.sh")
            .normalize();
    ProcessBuilder builder =
        new ProcessBuilder(concat(List.of("bash", script.toString()), List.of(args)))
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("script.log").toFile());
    builder.environment().put("SLUICE_FLINK_HOME", home.toString());
    builder.environment().put("SLUICE_FLINK_REST_PORT", Integer.toString(restPort));
    builder.environment().put("SLUICE_FLINK_RPC_PORT", Integer.toString(rpcPort));
    home.toFile().mkdirs();
    Process process = builder.start();
    if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "flink-cluster.sh "
              + String.join(" ", args)
              + " failed; see "
              + home.resolve("script.log"));
    }
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
