package io.sluice.pipelines.ingest;

import io.sluice.transforms.embed.EndpointSpec;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.Pooling;
import io.sluice.transforms.retry.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The model the options name: a catalogue model by its name, {@code onnx:<location>} with the flags
 * that describe it, or an OpenAI-compatible endpoint. A user's model files are hashed once per JVM
 * and version of the files (their size and modification time), not every time a pipeline part asks
 * for the model.
 */
public final class EmbeddingModels {
  static final String ONNX = "onnx:";
  private static final Map<List<Object>, ModelSpec> HASHED = new ConcurrentHashMap<>();

  private EmbeddingModels() {}

  /** The environment variable an endpoint's API key is read from. */
  public static final String API_KEY_VARIABLE = "SLUICE_EMBEDDING_API_KEY";

  /** The in-process model the options name (the default one when they name none). */
  public static ModelSpec spec(EmbeddingOptions options) {
    String name =
        options.getEmbeddingModel() == null
            ? ModelCatalogue.ALL_MINILM_L6_V2_Q.name()
            : options.getEmbeddingModel();
    if (!name.startsWith(ONNX)) {
      if (options.getTokenizer() != null || options.getDimension() != 0) {
        throw new IllegalArgumentException(
            "--tokenizer and --dimension describe an onnx: model; "
                + name
                + " is a catalogue model with its own");
      }
      return ModelCatalogue.named(name);
    }
    String onnx = name.substring(ONNX.length());
    if (options.getTokenizer() == null) {
      throw new IllegalArgumentException(
          "--embeddingModel=" + name + " needs --tokenizer=<the model's tokenizer.json>");
    }
    if (options.getDimension() <= 0) {
      throw new IllegalArgumentException(
          "--embeddingModel=" + name + " needs --dimension=<the dimension of its vectors>");
    }
    Pooling pooling = Pooling.parse(options.getPooling());
    List<Object> key =
        List.of(
            version(onnx),
            version(options.getTokenizer()),
            pooling,
            options.getNormalise(),
            options.getDimension(),
            options.getMaxTokens(),
            options.getQueryPrefix(),
            options.getPassagePrefix());
    return HASHED.computeIfAbsent(
        key,
        k ->
            ModelSpec.ofFiles(
                onnx,
                options.getTokenizer(),
                pooling,
                options.getNormalise(),
                options.getDimension(),
                options.getMaxTokens(),
                options.getQueryPrefix(),
                options.getPassagePrefix()));
  }

  /** The embedding endpoint the options name, if they name one. */
  public static Optional<EndpointSpec> endpoint(EmbeddingOptions options, RetryPolicy retry) {
    if (options.getEmbeddingEndpoint() == null) {
      return Optional.empty();
    }
    if (options.getEmbeddingModel() == null) {
      throw new IllegalArgumentException(
          "--embeddingEndpoint needs --embeddingModel=<the model id the endpoint serves>");
    }
    URI url;
    try {
      url = new URI(options.getEmbeddingEndpoint());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--embeddingEndpoint is not a URL: " + options.getEmbeddingEndpoint(), e);
    }
    return Optional.of(
        new EndpointSpec(
            url,
            options.getEmbeddingModel(),
            options.getEmbeddingDimension(),
            options.getEmbeddingBatchSize(),
            options.getEmbeddingConcurrency(),
            Duration.ofSeconds(options.getEmbeddingTimeoutSeconds()),
            retry,
            options.getQueryPrefix(),
            options.getPassagePrefix(),
            apiKey(options)));
  }

  /**
   * The model whose tokenizer sizes chunks: the embedding model itself in process; for an endpoint,
   * the tokenizer given by --tokenizer or the default model's, and the window of --maxTokens.
   */
  public static ModelSpec chunkingModel(EmbeddingOptions options) {
    if (options.getEmbeddingEndpoint() == null) {
      return spec(options);
    }
    ModelSpec tokens = ModelCatalogue.ALL_MINILM_L6_V2_Q;
    return new ModelSpec(
        options.getEmbeddingModel(),
        Math.max(1, options.getEmbeddingDimension()),
        options.getMaxTokens(),
        tokens.pooling(),
        tokens.normalise(),
        options.getQueryPrefix(),
        options.getPassagePrefix(),
        tokens.onnx(),
        options.getTokenizer() == null ? tokens.tokenizer() : options.getTokenizer(),
        null);
  }

  /** The key from the environment or a file, trimmed; none when neither holds one. */
  private static @Nullable String apiKey(EmbeddingOptions options) {
    if (options.getEmbeddingApiKeyFile() != null) {
      try {
        String key = Files.readString(Path.of(options.getEmbeddingApiKeyFile())).strip();
        return key.isEmpty() ? null : key;
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read --embeddingApiKeyFile " + options.getEmbeddingApiKeyFile(), e);
      }
    }
    String key = System.getenv(API_KEY_VARIABLE);
    return key == null || key.isBlank() ? null : key.strip();
  }

  /** A file's location, size and modification time: a new value when the file changes. */
  private static List<Object> version(String location) {
    try {
      MatchResult.Metadata file = FileSystems.matchSingleFileSpec(location);
      return List.of(location, file.sizeBytes(), file.lastModifiedMillis());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read model file " + location + ": " + e.getMessage(),
          new UncheckedIOException(e));
    }
  }
}
