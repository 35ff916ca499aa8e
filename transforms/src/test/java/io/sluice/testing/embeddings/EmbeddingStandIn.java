package io.sluice.testing.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.transforms.keys.Keys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wire-level stand-in for an OpenAI-compatible embedding server ({@code POST /v1/embeddings}, as
 * vLLM, text-embeddings-inference and OpenAI answer it): bearer-key authentication, 404 for a model
 * it does not serve, 413 for a batch over its limit, answers listed in reverse order (clients must
 * match them by {@code index}), {@code usage} with the tokens it counted and an {@code
 * x-request-id} header. A text's vector is a function of the text alone, so a test knows what every
 * stored vector must be.
 *
 * <p>Faults are injected in the order given, one per request: 429 with {@code Retry-After}, 503, an
 * answer slower than the client waits, a connection closed without an answer; or, from a chosen
 * request on, 503 for ever.
 */
public final class EmbeddingStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a request meets instead of its answer. */
  public enum Fault {
    RATE_LIMITED,
    UNAVAILABLE,
    SLOW,
    CLOSED
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final String model;
  private final int dimension;
  private final String apiKey;
  private final int maxBatch;
  private final Duration slowAnswer;
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger faultsMet = new AtomicInteger();
  private final AtomicInteger tooLarge = new AtomicInteger();
  private final AtomicLong tokens = new AtomicLong();
  private final List<String> textsAnswered = new CopyOnWriteArrayList<>();
  private volatile int downFromRequest = Integer.MAX_VALUE;
  private volatile int faultsAfter;

  public EmbeddingStandIn(
      String model, int dimension, String apiKey, int maxBatch, Duration slowAnswer)
      throws IOException {
    this.model = model;
    this.dimension = dimension;
    this.apiKey = apiKey;
    this.maxBatch = maxBatch;
    this.slowAnswer = slowAnswer;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/embeddings", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The base URL clients are given: {@code http://127.0.0.1:<port>/v1}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The requests after the first {@code afterRequests} meet these faults, one each, in order. */
  public void inject(int afterRequests, Fault... sequence) {
    faultsAfter = afterRequests;
    Collections.addAll(faults, sequence);
  }

  /** Every request from the {@code n}th on (counting from 1) answers 503. */
  public void downFromRequest(int n) {
    downFromRequest = n;
  }

  public void up() {
    downFromRequest = Integer.MAX_VALUE;
  }

  /** The vector this server gives {@code text}: unit length, from the text's SHA-256. */
  public float[] vectorOf(String text) {
    Random random = new Random(Keys.sha256Hex(text).hashCode());
    float[] vector = new float[dimension];
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      vector[d] = (float) random.nextGaussian();
      norm += vector[d] * vector[d];
    }
    for (int d = 0; d < dimension; d++) {
      vector[d] = (float) (vector[d] / Math.sqrt(norm));
    }
    return vector;
  }

  public int requests() {
    return requests.get();
  }

  /** Requests answered with vectors the client took (slow answers, which it gave up on, not). */
  public int answered() {
    return answered.get();
  }

  public int faultsMet() {
    return faultsMet.get();
  }

  public int tooLarge() {
    return tooLarge.get();
  }

  /** The tokens reported in the answers counted by {@link #answered}. */
  public long tokens() {
    return tokens.get();
  }

  /** Every text of every answer counted by {@link #answered}, as sent. */
  public List<String> textsAnswered() {
    return List.copyOf(textsAnswered);
  }

  private void handle(HttpExchange exchange) throws IOException {
    int number = requests.incrementAndGet();
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, error("only POST"), null);
        return;
      }
      if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, 401, error("Incorrect API key provided"), null);
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      if (!model.equals(request.path("model").asText())) {
        reply(exchange, 404, error("The model does not exist"), null);
        return;
      }
      List<String> texts = new ArrayList<>();
      request.path("input").forEach(text -> texts.add(text.asText()));
      if (number >= downFromRequest) {
        faultsMet.incrementAndGet();
        reply(exchange, 503, error("Service Unavailable"), null);
        return;
      }
      Fault fault = number > faultsAfter ? faults.poll() : null;
      if (fault != null) {
        faultsMet.incrementAndGet();
        switch (fault) {
          case RATE_LIMITED -> {
            reply(exchange, 429, error("Rate limit reached"), "1");
            return;
          }
          case UNAVAILABLE -> {
            reply(exchange, 503, error("Service Unavailable"), null);
            return;
          }
          case CLOSED -> {
            return; // closed with no status line: the client sees the connection end
          }
          case SLOW -> sleep(slowAnswer);
        }
      }
      if (texts.size() > maxBatch) {
        tooLarge.incrementAndGet();
        reply(exchange, 413, error("batch size " + texts.size() + " > " + maxBatch), null);
        return;
      }
      ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", model);
      ArrayNode data = answer.putArray("data");
      long counted = 0;
      for (int i = texts.size() - 1; i >= 0; i--) {
        ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
        ArrayNode embedding = item.putArray("embedding");
        for (float value : vectorOf(texts.get(i))) {
          embedding.add(value);
        }
        counted += texts.get(i).split("\\s+").length;
      }
      answer.putObject("usage").put("prompt_tokens", counted).put("total_tokens", counted);
      exchange.getResponseHeaders().add("x-request-id", "req-" + number);
      reply(exchange, 200, answer.toString(), null);
      if (fault != Fault.SLOW) {
        answered.incrementAndGet();
        tokens.addAndGet(counted);
        textsAnswered.addAll(texts);
      }
    } catch (IOException e) {
      // The client went away (it gave up on a slow answer): nothing to answer.
    }
  }

  private static String error(String message) {
    return JSON.createObjectNode()
        .set("error", JSON.createObjectNode().put("message", message))
        .toString();
  }

  private static void reply(HttpExchange exchange, int status, String body, String retryAfter)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (retryAfter != null) {
      exchange.getResponseHeaders().add("Retry-After", retryAfter);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
