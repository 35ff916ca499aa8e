package io.sluice.transforms.embed;

import static io.sluice.transforms.embed.ModelSpec.catalogued;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models sluice runs in process by name: the ONNX exports Maven Central ships in LangChain4j's
 * {@code langchain4j-embeddings-*} artifacts, each with the pooling, window and prefixes of its
 * model card. Adding a model is one row here and its artifact in the transforms module's pom.
 */
public final class ModelCatalogue {
  /** all-MiniLM-L6-v2, int8-quantized: sluice's default, small and fast. */
  public static final ModelSpec ALL_MINILM_L6_V2_Q =
      catalogued("all-minilm-l6-v2-q", 384, 128, Pooling.MEAN, "", "");

  private static final List<ModelSpec> MODELS =
      List.of(
          ALL_MINILM_L6_V2_Q,
          // The same model unquantized: sentence-transformers' window of 256 word pieces.
          catalogued("all-minilm-l6-v2", 384, 256, Pooling.MEAN, "", ""),
          // BGE takes the [CLS] state; questions get its retrieval instruction, passages nothing.
          catalogued(
              "bge-small-en-v1.5-q",
              384,
              512,
              Pooling.CLS,
              "Represent this sentence for searching relevant passages: ",
              ""),
          // E5 was trained on "query: " and "passage: " before every input.
          catalogued("e5-small-v2-q", 384, 512, Pooling.MEAN, "query: ", "passage: "));

  private static final Map<String, ModelSpec> BY_NAME = byName();

  private ModelCatalogue() {}

  private static Map<String, ModelSpec> byName() {
    Map<String, ModelSpec> byName = new LinkedHashMap<>();
    MODELS.forEach(model -> byName.put(model.name(), model));
    return byName;
  }

  public static List<ModelSpec> models() {
    return MODELS;
  }

  public static boolean contains(String name) {
    return BY_NAME.containsKey(name);
  }

  public static ModelSpec named(String name) {
    ModelSpec spec = BY_NAME.get(name);
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown embedding model '"
              + name
              + "'; known: "
              + BY_NAME.keySet()
              + ", or onnx:<path to model.onnx> with --tokenizer, --pooling and --dimension");
    }
    return spec;
  }
}
