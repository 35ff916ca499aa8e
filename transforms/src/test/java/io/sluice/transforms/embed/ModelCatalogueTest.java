package io.sluice.transforms.embed;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.Test;

/**
 * Every catalogue model against the reference output of its ONNX export: LangChain4j's own runner
 * of the same artifact, given the model card's prefix. Pooling, normalisation, prefixes and
 * tokenization all show in the vector: CLS pooling where mean belongs, or a missing prefix, moves
 * coordinates by 1e-2 and more, far beyond the tolerance.
 */
public class ModelCatalogueTest {
  private static final double TOLERANCE = 1e-4;
  private static final List<String> PASSAGES =
      List.of(
          "The lock keeper opens the sluice gate to fill the chamber.",
          "Quarterly revenue grew because of strong phone sales in Europe and Asia.");
  private static final String QUESTION = "how does a canal lock fill with water";

  /** The reference runner of each catalogue model, by name: a model added without one fails. */
  private static final Map<String, Supplier<EmbeddingModel>> REFERENCES = new LinkedHashMap<>();

  static {
    REFERENCES.put("all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel::new);
    REFERENCES.put("all-minilm-l6-v2", AllMiniLmL6V2EmbeddingModel::new);
    REFERENCES.put("bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel::new);
    REFERENCES.put("e5-small-v2-q", E5SmallV2QuantizedEmbeddingModel::new);
  }

  private static double largestDifference(float[] ours, float[] reference) {
    assertThat(ours.length, equalTo(reference.length));
    double largest = 0;
    for (int i = 0; i < ours.length; i++) {
      largest = Math.max(largest, Math.abs(ours[i] - reference[i]));
    }
    return largest;
  }

  @Test
  public void everyCatalogueModelHasAReference() {
    assertThat(
        ModelCatalogue.models().stream().map(ModelSpec::name).toList(),
        equalTo(List.copyOf(REFERENCES.keySet())));
  }

  @Test
  public void everyCatalogueModelGivesItsReferenceVectorsForPassagesAndQuestions()
      throws Exception {
    for (ModelSpec spec : ModelCatalogue.models()) {
      EmbeddingModel reference = REFERENCES.get(spec.name()).get();
      try (SentenceEmbedder ours = SentenceEmbedder.acquire(spec, 1)) {
        List<float[]> passages = ours.embedAll(PASSAGES);
        for (int i = 0; i < PASSAGES.size(); i++) {
          float[] expected =
              reference.embed(spec.passagePrefix() + PASSAGES.get(i)).content().vector();
          assertThat(
              spec.name() + ": " + PASSAGES.get(i),
              largestDifference(passages.get(i), expected),
              lessThan(TOLERANCE));
        }
        float[] question = ours.embedQuery(QUESTION);
        float[] expected = reference.embed(spec.queryPrefix() + QUESTION).content().vector();
        assertThat(
            spec.name() + ": the question",
            largestDifference(question, expected),
            lessThan(TOLERANCE));
        assertThat(spec.dimension(), equalTo(question.length));
      }
    }
  }

  /** The prefixes are what the check above would miss if both sides forgot them. */
  @Test
  public void e5SeesItsPrefixesAndBgeItsInstructionBeforeQuestionsOnly() throws Exception {
    ModelSpec e5 = ModelCatalogue.named("e5-small-v2-q");
    ModelSpec bge = ModelCatalogue.named("bge-small-en-v1.5-q");
    assertThat(e5.queryPrefix(), equalTo("query: "));
    assertThat(e5.passagePrefix(), equalTo("passage: "));
    assertThat(bge.pooling(), equalTo(Pooling.CLS));
    assertThat(bge.passagePrefix(), equalTo(""));
    try (SentenceEmbedder embedder = SentenceEmbedder.acquire(e5, 1)) {
      float[] asPassage = embedder.embedAll(List.of(QUESTION)).get(0);
      float[] asQuestion = embedder.embedQuery(QUESTION);
      assertThat(Arrays.equals(asPassage, asQuestion), equalTo(false));
    }
  }
}
