package io.sluice.transforms.embed;

import io.sluice.transforms.keys.EmbeddingProvenance;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An embedding model sluice runs in process: its name as users give it, its vector dimension, its
 * input window in tokens (special tokens included), its pooling and normalisation, the prefixes it
 * was trained to see before questions and passages, and where its ONNX graph and tokenizer are
 * ({@link ModelFiles}). A model of the user's own also carries the SHA-256 of both files, checked
 * where the files are loaded, so a file changed under a running job fails it instead of mixing
 * vectors of two models in one index version.
 */
public record ModelSpec(
    String name,
    int dimension,
    int maxTokens,
    Pooling pooling,
    boolean normalise,
    String queryPrefix,
    String passagePrefix,
    String onnx,
    String tokenizer,
    @Nullable String filesSha256)
    implements Serializable {

  public ModelSpec {
    if (name == null || onnx == null || tokenizer == null || pooling == null) {
      throw new IllegalArgumentException("name, files and pooling must not be null");
    }
    if (queryPrefix == null || passagePrefix == null) {
      throw new IllegalArgumentException("prefixes must not be null (use \"\" for none)");
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    }
    if (maxTokens < 3) {
      throw new IllegalArgumentException("maxTokens must be at least 3, got " + maxTokens);
    }
  }

  /** A model of the catalogue, shipped in the job jar as {@code /<name>.onnx}. */
  static ModelSpec catalogued(
      String name,
      int dimension,
      int maxTokens,
      Pooling pooling,
      String queryPrefix,
      String passagePrefix) {
    return new ModelSpec(
        name,
        dimension,
        maxTokens,
        pooling,
        true,
        queryPrefix,
        passagePrefix,
        ModelFiles.CLASSPATH + "/" + name + ".onnx",
        ModelFiles.CLASSPATH + "/" + name + "-tokenizer.json",
        null);
  }

  /** A model file of the user's own, its files hashed now: the hash is part of its identity. */
  public static ModelSpec ofFiles(
      String onnx,
      String tokenizer,
      Pooling pooling,
      boolean normalise,
      int dimension,
      int maxTokens,
      String queryPrefix,
      String passagePrefix) {
    return new ModelSpec(
        "onnx:" + fileName(onnx),
        dimension,
        maxTokens,
        pooling,
        normalise,
        queryPrefix,
        passagePrefix,
        onnx,
        tokenizer,
        filesSha256(onnx, tokenizer));
  }

  static String filesSha256(String onnx, String tokenizer) {
    return ModelFiles.sha256(onnx) + "+" + ModelFiles.sha256(tokenizer);
  }

  private static String fileName(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /**
   * The most text tokens one chunk may hold: the window less [CLS] and [SEP] and the passage
   * prefix. The prefix is counted by its UTF-8 bytes, a bound no tokenizer's count exceeds, so the
   * check needs no tokenizer loaded where the options are read.
   */
  public int maxChunkTokens() {
    return maxTokens - 2 - passagePrefix.getBytes(StandardCharsets.UTF_8).length;
  }

  public EmbeddingProvenance provenance() {
    return filesSha256 == null
        ? new EmbeddingProvenance(
            EmbeddingProvenance.Provider.IN_PROCESS,
            onnx,
            pooling.name().toLowerCase(java.util.Locale.ROOT),
            normalise,
            queryPrefix,
            passagePrefix)
        : new EmbeddingProvenance(
            EmbeddingProvenance.Provider.FILE,
            "sha256:" + filesSha256,
            pooling.name().toLowerCase(java.util.Locale.ROOT),
            normalise,
            queryPrefix,
            passagePrefix);
  }
}
