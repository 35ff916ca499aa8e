package io.sluice.transforms.embed;

import io.sluice.transforms.keys.EmbeddingProvenance;
import io.sluice.transforms.retry.RetryPolicy;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An OpenAI-compatible embedding endpoint ({@code POST <url>/embeddings}: vLLM,
 * text-embeddings-inference, Ollama, Infinity, OpenAI): its base URL, the model id it serves, the
 * dimension its vectors must have, texts per request, requests in flight per JVM, the time one
 * request may take, the retry policy, the prefixes put before questions and passages, and the API
 * key. The key travels inside the job (as JdbcIO's password does), never in the pipeline options a
 * runner shows, and never in {@link #toString}.
 */
public record EndpointSpec(
    URI url,
    String model,
    int dimension,
    int batchSize,
    int concurrency,
    Duration timeout,
    RetryPolicy retry,
    String queryPrefix,
    String passagePrefix,
    @Nullable String apiKey)
    implements Serializable {

  public EndpointSpec {
    if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
      throw new IllegalArgumentException("the endpoint must be an http(s) URL, got " + url);
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("the endpoint needs the model id it serves");
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException(
          "the endpoint needs --embeddingDimension=<the dimension of its vectors>");
    }
    if (batchSize <= 0 || concurrency <= 0) {
      throw new IllegalArgumentException(
          "batch size and concurrency must be positive, got " + batchSize + ", " + concurrency);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive, got " + timeout);
    }
    if (retry == null || queryPrefix == null || passagePrefix == null) {
      throw new IllegalArgumentException("retry policy and prefixes must not be null");
    }
  }

  /** {@code <url>/embeddings}, whether the URL was given with a trailing slash or not. */
  public URI embeddings() {
    String base = url.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + "embeddings");
  }

  public EmbeddingProvenance provenance() {
    return new EmbeddingProvenance(
        EmbeddingProvenance.Provider.ENDPOINT, model, null, false, queryPrefix, passagePrefix);
  }

  @Override
  public String toString() {
    return "EndpointSpec[url="
        + url
        + ", model="
        + model
        + ", dimension="
        + dimension
        + ", batchSize="
        + batchSize
        + ", concurrency="
        + concurrency
        + ", timeout="
        + timeout
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + "]";
  }
}
