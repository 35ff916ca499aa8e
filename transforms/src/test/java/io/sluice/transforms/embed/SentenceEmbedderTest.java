package io.sluice.transforms.embed;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class SentenceEmbedderTest {
  private SentenceEmbedder embedder;

  @Before
  public void loadModel() {
    embedder = SentenceEmbedder.acquire(ModelCatalogue.ALL_MINILM_L6_V2_Q, 2);
  }

  @After
  public void releaseModel() {
    if (embedder != null) {
      embedder.close();
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  @Test
  public void vectorsHaveTheModelsDimensionAndUnitLength() throws Exception {
    float[] vector = embedder.embed("A lock raises boats from one level to the next.");
    assertThat(vector.length, equalTo(384));
    assertThat(cosine(vector, vector), closeTo(1.0, 1e-5));
  }

  @Test
  public void similarSentencesAreCloserThanUnrelatedOnes() throws Exception {
    float[] canal = embedder.embed("The lock keeper opens the sluice gate to fill the chamber.");
    float[] similar = embedder.embed("A gate is opened so that water fills the lock chamber.");
    float[] unrelated = embedder.embed("Quarterly revenue grew because of strong phone sales.");
    assertThat(cosine(canal, similar), greaterThan(cosine(canal, unrelated) + 0.2));
  }

  @Test
  public void aVectorDependsOnItsTextAloneBitForBit() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      texts.add("Sentence number " + i + " about " + "water ".repeat(i % 7 + 1));
    }
    List<float[]> inParallel = embedder.embedAll(texts);
    List<String> backwards = new ArrayList<>(texts);
    java.util.Collections.reverse(backwards);
    List<float[]> reversed = embedder.embedAll(backwards);
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = embedder.embed(texts.get(i));
      assertThat(Arrays.equals(inParallel.get(i), alone), equalTo(true));
      assertThat(Arrays.equals(reversed.get(texts.size() - 1 - i), alone), equalTo(true));
    }
  }

  @Test
  public void textBeyondTheWindowIsCutToIt() {
    ModelTokenizer tokenizer = ModelTokenizer.of(ModelCatalogue.ALL_MINILM_L6_V2_Q);
    assertThat(tokenizer.inputIds("word ".repeat(1000)).length, equalTo(128));
    assertThat(tokenizer.tokenize("word ".repeat(1000)).size(), equalTo(1000));
  }

  /**
   * A runner tears a cancelled task's DoFns down while the model still embeds its last texts: the
   * release waits for them instead of freeing the model under them, which crashed the JVM.
   */
  @Test
  public void releasingTheModelWhileItEmbedsWaitsForTheInferences() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      texts.add("Text " + i + " about locks, weirs and sluice gates on a long canal.");
    }
    java.util.concurrent.CompletableFuture<Object> embedding =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> embedder.embedAll(texts));
    Thread.sleep(200);
    embedder.close();
    embedder = null;
    assertThat(embedding.handle((vectors, failure) -> "ended").get(), equalTo("ended"));
  }
}
