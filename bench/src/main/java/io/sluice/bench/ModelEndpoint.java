package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.SentenceEmbedder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible embedding endpoint ({@code POST /v1/embeddings}) doing real work: a
 * catalogue model in this JVM, on every core, behind the protocol. It stands for the GPU service a
 * cluster shares; what the bench measures against it is how much of the endpoint's own rate sluice
 * keeps, not the model.
 */
final class ModelEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final SentenceEmbedder model;
  private final String name;

  ModelEndpoint(ModelSpec spec) throws IOException {
    this.name = spec.name();
    this.model = SentenceEmbedder.acquire(spec, Runtime.getRuntime().availableProcessors());
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/embeddings", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  String model() {
    return name;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      List<String> texts = new ArrayList<>();
      request.path("input").forEach(text -> texts.add(text.asText()));
      List<float[]> vectors = model.embedAll(texts);
      ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", name);
      ArrayNode data = answer.putArray("data");
      long words = 0;
      for (int i = 0; i < vectors.size(); i++) {
        ArrayNode embedding = data.addObject().put("index", i).putArray("embedding");
        for (float value : vectors.get(i)) {
          embedding.add(value);
        }
        words += texts.get(i).split("\\s+").length;
      }
      answer.putObject("usage").put("prompt_tokens", words).put("total_tokens", words);
      byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    model.close();
  }
}
