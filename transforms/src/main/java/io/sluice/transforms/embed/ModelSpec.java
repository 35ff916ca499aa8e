package io.sluice.transforms.embed;

import java.io.Serializable;
import java.util.Map;

/**
 * An in-process embedding model sluice can run: its name as users give it, its vector dimension,
 * its input window in tokens (special tokens included) and the classpath resources holding the ONNX
 * graph and the tokenizer.
 */
public record ModelSpec(
    String name, int dimension, int maxTokens, String onnxResource, String tokenizerResource)
    implements Serializable {

  /** all-MiniLM-L6-v2, int8-quantized, as shipped in LangChain4j's model artifact. */
  public static final ModelSpec ALL_MINILM_L6_V2_Q =
      new ModelSpec(
          "all-minilm-l6-v2-q",
          384,
          128,
          "/all-minilm-l6-v2-q.onnx",
          "/all-minilm-l6-v2-q-tokenizer.json");

  private static final Map<String, ModelSpec> KNOWN =
      Map.of(ALL_MINILM_L6_V2_Q.name(), ALL_MINILM_L6_V2_Q);

  public static ModelSpec named(String name) {
    ModelSpec spec = KNOWN.get(name);
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown embedding model '" + name + "'; known: " + KNOWN.keySet());
    }
    return spec;
  }

  /** The most text tokens one chunk may hold: the window less [CLS] and [SEP]. */
  public int maxChunkTokens() {
    return maxTokens - 2;
  }
}
