package io.sluice.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sinks.core.Health;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a Flink session cluster can take a sluice job: its REST API answers (the one the Flink
 * runner submits through), its version, and free task slots for the job's parallelism.
 */
final class FlinkHealth {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEPENDENCY = "flink";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private FlinkHealth() {}

  /** {@code master} as the Flink runner takes it: {@code host:port}, with or without http://. */
  static Health check(String master, int parallelism) {
    URI overview = URI.create((master.contains("://") ? master : "http://" + master) + "/overview");
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("rest", overview.resolve("/").toString());
    try {
      HttpResponse<String> answer =
          HttpClient.newBuilder()
              .connectTimeout(TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(overview).timeout(TIMEOUT).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        return Health.failing(
            DEPENDENCY, "Flink REST at " + master + " answered HTTP " + answer.statusCode(), facts);
      }
      JsonNode cluster = JSON.readTree(answer.body());
      String version = cluster.path("flink-version").asText("?");
      int taskManagers = cluster.path("taskmanagers").asInt();
      int slots = cluster.path("slots-total").asInt();
      int free = cluster.path("slots-available").asInt();
      facts.put("flink_version", version);
      facts.put("taskmanagers", taskManagers);
      facts.put("slots_total", slots);
      facts.put("slots_available", free);
      facts.put("jobs_running", cluster.path("jobs-running").asInt());
      String line =
          master
              + ": Flink "
              + version
              + ", "
              + taskManagers
              + " TaskManagers, "
              + free
              + " of "
              + slots
              + " slots free";
      return free >= parallelism
          ? Health.ok(DEPENDENCY, line + " (the job needs " + parallelism + ")", facts)
          : Health.failing(
              DEPENDENCY,
              "fewer free slots than the job's parallelism "
                  + parallelism
                  + ": it would wait ("
                  + line
                  + ")",
              facts);
    } catch (IOException e) {
      return Health.failing(
          DEPENDENCY, "cannot reach Flink's REST API at " + master + ": " + e, facts);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.failing(DEPENDENCY, "interrupted while asking Flink at " + master, facts);
    }
  }
}
