package io.sluice.transforms.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.retry.RetryPolicy;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Embeds through an OpenAI-compatible endpoint: texts sent {@link EndpointSpec#batchSize} at a
 * time, at most {@link EndpointSpec#concurrency} requests in flight per JVM (one client and one
 * pool per endpoint, shared by every DoFn instance and released by the last), each request with its
 * timeout.
 *
 * <p>A 429 waits for the server's {@code Retry-After} when it gives one and backs off otherwise; a
 * 5xx, a timeout or a dropped connection backs off; all through the run's {@link RetryPolicy}. A
 * 413, or a 400 that says the input is too large, splits the batch in two. The answer is matched to
 * the texts by each item's {@code index}, and every vector's dimension is checked. What the retries
 * cannot mend is an {@link EmbeddingFailedException} of a class the run can act on; the server's
 * token usage of each answered request goes to the {@link TokenUsage.Recorder}.
 */
public final class EndpointEmbedder implements Embedder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<EndpointSpec, Endpoint> SHARED = new HashMap<>();
  private static final AtomicInteger THREADS = new AtomicInteger();
  // How servers word a batch over their limit in a 400 (text-embeddings-inference, vLLM, OpenAI).
  private static final Pattern TOO_LARGE =
      Pattern.compile(
          "too large|too long|too many|batch size|maximum (context|allowed|batch)|exceeds",
          Pattern.CASE_INSENSITIVE);
  private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(2);

  private final Counter requests = Metrics.counter(EmbedChunks.class, "endpoint_requests");
  private final Counter retried = Metrics.counter(EmbedChunks.class, "endpoint_retries");
  private final Counter splits = Metrics.counter(EmbedChunks.class, "endpoint_batch_splits");

  private final EndpointSpec spec;
  private final Endpoint endpoint;
  private final TokenUsage.@Nullable Recorder usage;

  private EndpointEmbedder(EndpointSpec spec, TokenUsage.@Nullable Recorder usage) {
    this.spec = spec;
    this.usage = usage;
    synchronized (SHARED) {
      this.endpoint = SHARED.computeIfAbsent(spec, Endpoint::new);
      endpoint.users++;
    }
  }

  /** The factory {@link EmbedChunks} opens on the worker; usage goes where {@code usage} says. */
  public static Embedder.Factory factory(EndpointSpec spec, TokenUsage.@Nullable Factory usage) {
    if (spec == null) {
      throw new IllegalArgumentException("endpoint must not be null");
    }
    return () -> new EndpointEmbedder(spec, usage == null ? null : usage.open());
  }

  /** An embedder whose requests are not recorded: questions, and the check before a run. */
  public static EndpointEmbedder open(EndpointSpec spec) {
    return new EndpointEmbedder(spec, null);
  }

  /**
   * Sends one text: a key the server refuses, a model it does not serve, or vectors of another
   * dimension than declared are errors here, before a run reads any document.
   */
  public static void check(EndpointSpec spec) {
    try (EndpointEmbedder embedder = open(spec)) {
      embedder.embedQuery("dimension check");
    } catch (EmbeddingFailedException e) {
      throw new IllegalArgumentException(
          "the embedding endpoint "
              + spec.url()
              + " does not answer as declared: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public List<float[]> embedAll(List<String> passages) {
    List<String> inputs = passages.stream().map(text -> spec.passagePrefix() + text).toList();
    List<Future<List<float[]>>> batches = new ArrayList<>();
    for (int from = 0; from < inputs.size(); from += spec.batchSize()) {
      List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + spec.batchSize()));
      batches.add(endpoint.pool.submit(() -> embedBatch(batch)));
    }
    List<float[]> vectors = new ArrayList<>(inputs.size());
    try {
      for (Future<List<float[]>> batch : batches) {
        vectors.addAll(batch.get());
      }
    } catch (InterruptedException e) {
      batches.forEach(batch -> batch.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      batches.forEach(batch -> batch.cancel(true));
      if (e.getCause() instanceof EmbeddingFailedException failed) {
        throw failed;
      }
      throw new IllegalStateException("embedding failed: " + e.getCause(), e.getCause());
    }
    return vectors;
  }

  @Override
  public float[] embedQuery(String question) {
    try {
      return embedBatch(List.of(spec.queryPrefix() + question)).get(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding the question", e);
    }
  }

  /** The vectors of one batch, in order: retried, split, or failed as the class says. */
  private List<float[]> embedBatch(List<String> texts) throws InterruptedException {
    RetryPolicy.Attempts attempts =
        spec.retry().attempts("embedding " + texts.size() + " texts at " + spec.url(), retried);
    int attempt = 1;
    while (true) {
      HttpResponse<String> response;
      try {
        requests.inc();
        response = endpoint.client.send(request(texts), HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        if (!attempts.waitBeforeNext("no answer within " + spec.timeout())) {
          throw failed(FailureClass.TIMEOUT, "no answer within " + spec.timeout(), e);
        }
        attempt++;
        continue;
      } catch (IOException e) {
        if (!attempts.waitBeforeNext(e)) {
          throw failed(FailureClass.IO_ERROR, "the endpoint is unreachable: " + e, e);
        }
        attempt++;
        continue;
      }
      int status = response.statusCode();
      if (status == 200) {
        JsonNode answer = json(response.body());
        Optional<String> malformed = malformed(answer, texts.size());
        if (malformed.isEmpty()) {
          return answered(response, answer, texts.size(), attempt);
        }
        if (!attempts.waitBeforeNext(malformed.get())) {
          throw failed(FailureClass.IO_ERROR, malformed.get(), null);
        }
      } else if (status == 413 || (status == 400 && TOO_LARGE.matcher(response.body()).find())) {
        if (texts.size() == 1) {
          throw failed(
              FailureClass.REFUSED,
              "the endpoint refuses a single text as too large: " + said(response),
              null);
        }
        splits.inc();
        int half = texts.size() / 2;
        List<float[]> vectors = new ArrayList<>(embedBatch(texts.subList(0, half)));
        vectors.addAll(embedBatch(texts.subList(half, texts.size())));
        return vectors;
      } else if (status == 429) {
        if (!attempts.waitBeforeNext("rate limited (429)", retryAfter(response))) {
          throw failed(FailureClass.IO_ERROR, "still rate limited (429) after retries", null);
        }
      } else if (status >= 500) {
        if (!attempts.waitBeforeNext("server error " + said(response))) {
          throw failed(FailureClass.IO_ERROR, "server error " + said(response), null);
        }
      } else {
        // 400, 401, 403, 404: the request itself is wrong (a key, a model id); no retry mends it.
        throw failed(FailureClass.REFUSED, "the endpoint refused: " + said(response), null);
      }
      attempt++;
    }
  }

  private HttpRequest request(List<String> texts) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", spec.model());
    body.put("encoding_format", "float");
    body.putPOJO("input", texts);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(spec.embeddings())
            .timeout(spec.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (spec.apiKey() != null) {
      request.header("Authorization", "Bearer " + spec.apiKey());
    }
    return request.build();
  }

  /** The answer's JSON, read once; null when it is not JSON. */
  private static @Nullable JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** Why an answer cannot be used as it is, if it cannot: worth asking again. */
  private Optional<String> malformed(@Nullable JsonNode answer, int texts) {
    if (answer == null) {
      return Optional.of("the endpoint answered something that is not JSON");
    }
    JsonNode data = answer.path("data");
    if (!data.isArray() || data.size() != texts) {
      return Optional.of(
          "the endpoint answered " + data.size() + " vectors for " + texts + " texts");
    }
    boolean[] seen = new boolean[texts];
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      if (index < 0 || index >= texts || seen[index]) {
        return Optional.of("the endpoint answered a vector with a wrong index: " + index);
      }
      seen[index] = true;
    }
    return Optional.empty();
  }

  private List<float[]> answered(
      HttpResponse<String> response, JsonNode root, int texts, int attempt) {
    float[][] vectors = new float[texts][];
    for (JsonNode item : root.path("data")) {
      JsonNode embedding = item.path("embedding");
      if (embedding.size() != spec.dimension()) {
        throw failed(
            FailureClass.REFUSED,
            "the endpoint's vectors have "
                + embedding.size()
                + " dimensions, not the "
                + spec.dimension()
                + " declared",
            null);
      }
      float[] vector = new float[embedding.size()];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = (float) embedding.get(d).asDouble();
      }
      vectors[item.path("index").asInt()] = vector;
    }
    JsonNode reported = root.path("usage");
    if (usage != null && reported.isObject()) {
      usage.record(
          new TokenUsage(
              response.headers().firstValue("x-request-id").orElse(UUID.randomUUID().toString()),
              Instant.now(),
              spec.model(),
              reported.path("prompt_tokens").asLong(),
              reported.path("total_tokens").asLong(),
              texts,
              attempt));
    }
    return List.of(vectors);
  }

  /** The wait a 429 asks for: seconds or an HTTP date; nothing when absent or unreadable. */
  private static Duration retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After");
    if (header.isEmpty()) {
      return Duration.ZERO;
    }
    String value = header.get().trim();
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException notSeconds) {
      try {
        wait =
            Duration.between(
                Instant.now(),
                ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException notADate) {
        return Duration.ZERO;
      }
    }
    return wait.isNegative() ? Duration.ZERO : min(wait, LONGEST_RETRY_AFTER);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The status and the first line of the body, short: servers echo input, never the key. */
  private static String said(HttpResponse<String> response) {
    String body = response.body().lines().findFirst().orElse("").strip();
    return response.statusCode() + (body.isEmpty() ? "" : " " + abbreviate(body));
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private EmbeddingFailedException failed(
      FailureClass failureClass, String why, @Nullable Throwable cause) {
    return new EmbeddingFailedException(
        failureClass, "embedding endpoint " + spec.url() + ": " + why, cause);
  }

  /** Writes the recorded usage, gives up this use; the last one stops the request threads. */
  @Override
  public void close() {
    if (usage != null) {
      usage.close();
    }
    synchronized (SHARED) {
      if (--endpoint.users > 0) {
        return;
      }
      SHARED.remove(spec);
    }
    endpoint.pool.shutdownNow();
  }

  /** One endpoint's client and request threads, per JVM and class loader. */
  private static final class Endpoint {
    final HttpClient client;
    final ExecutorService pool;
    int users;

    Endpoint(EndpointSpec spec) {
      this.pool =
          Executors.newFixedThreadPool(
              spec.concurrency(),
              task -> {
                Thread thread = new Thread(task, "sluice-endpoint-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      // The client's own executor: the pool's threads block in send(), waiting on it.
      this.client =
          HttpClient.newBuilder()
              .connectTimeout(spec.timeout())
              .version(HttpClient.Version.HTTP_1_1)
              .build();
    }
  }
}
