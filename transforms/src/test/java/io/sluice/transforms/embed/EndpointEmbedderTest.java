package io.sluice.transforms.embed;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertThrows;

import io.sluice.testing.embeddings.EmbeddingStandIn;
import io.sluice.testing.embeddings.EmbeddingStandIn.Fault;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The endpoint client against a stand-in server that injects the faults real servers produce: every
 * vector is the one the server gave for that text, whatever came between.
 */
public class EndpointEmbedderTest {
  private static final String KEY = "sk-test-not-a-real-key";
  private static final RetryPolicy QUICK =
      new RetryPolicy(6, Duration.ofMillis(10), Duration.ofMillis(50));

  private EmbeddingStandIn server;
  private final List<TokenUsage> usage = new CopyOnWriteArrayList<>();

  @Before
  public void start() throws Exception {
    server = new EmbeddingStandIn("stand-in-embed", 16, KEY, 5, Duration.ofMillis(1500));
  }

  @After
  public void stop() {
    server.close();
  }

  private EndpointSpec spec(int batchSize, RetryPolicy retry, String key, int dimension) {
    return new EndpointSpec(
        URI.create(server.url()),
        "stand-in-embed",
        dimension,
        batchSize,
        2,
        Duration.ofMillis(500),
        retry,
        "",
        "",
        key);
  }

  private Embedder open(EndpointSpec spec) {
    TokenUsage.Factory recorder =
        () ->
            new TokenUsage.Recorder() {
              @Override
              public void record(TokenUsage one) {
                usage.add(one);
              }

              @Override
              public void close() {}
            };
    return EndpointEmbedder.factory(spec, recorder).open();
  }

  private static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "text number " + i + " about locks").toList();
  }

  @Test
  public void throughEveryFaultEachVectorIsTheOneTheServerGaveForItsText() {
    server.inject(
        0, Fault.RATE_LIMITED, Fault.UNAVAILABLE, Fault.SLOW, Fault.CLOSED, Fault.UNAVAILABLE);
    List<String> texts = texts(23);
    List<float[]> vectors;
    try (Embedder embedder = open(spec(4, QUICK, KEY, 16))) {
      vectors = embedder.embedAll(texts);
    }
    for (int i = 0; i < texts.size(); i++) {
      assertThat(
          texts.get(i),
          Arrays.equals(vectors.get(i), server.vectorOf(texts.get(i))),
          equalTo(true));
    }
    assertThat(server.faultsMet(), equalTo(5));
    assertThat("six batches of at most 4, each answered once", server.answered(), equalTo(6));
    assertThat(server.requests(), equalTo(server.answered() + server.faultsMet()));
    assertThat(
        new ArrayList<>(server.textsAnswered()).stream().sorted().toList(),
        equalTo(texts.stream().sorted().toList()));
    assertThat(usage.size(), equalTo(6));
    assertThat(usage.stream().mapToLong(TokenUsage::inputTokens).sum(), equalTo(server.tokens()));
    assertThat(usage.stream().mapToInt(TokenUsage::attempts).max().getAsInt(), greaterThan(1));
  }

  @Test
  public void aBatchOverTheServersLimitIsSplitUntilItFits() {
    List<String> texts = texts(16);
    List<float[]> vectors;
    try (Embedder embedder = open(spec(16, QUICK, KEY, 16))) {
      vectors = embedder.embedAll(texts);
    }
    for (int i = 0; i < texts.size(); i++) {
      assertThat(Arrays.equals(vectors.get(i), server.vectorOf(texts.get(i))), equalTo(true));
    }
    // 16 → 8 + 8 (both over 5) → four batches of 4.
    assertThat(server.tooLarge(), equalTo(3));
    assertThat(server.answered(), equalTo(4));
  }

  @Test
  public void aServerThatStaysDownIsARetryableFailureAfterTheRetries() {
    server.downFromRequest(1);
    try (Embedder embedder = open(spec(4, QUICK.withMaxRetries(2), KEY, 16))) {
      EmbeddingFailedException failed =
          assertThrows(EmbeddingFailedException.class, () -> embedder.embedAll(texts(3)));
      assertThat(failed.failureClass(), equalTo(FailureClass.IO_ERROR));
      assertThat(failed.failureClass().retryable(), equalTo(true));
      assertThat(failed.getMessage(), containsString("503"));
    }
    assertThat(server.requests(), equalTo(3));
  }

  @Test
  public void answersSlowerThanTheTimeoutAreATimeoutFailure() {
    server.inject(0, Fault.SLOW, Fault.SLOW);
    try (Embedder embedder = open(spec(4, QUICK.withMaxRetries(1), KEY, 16))) {
      EmbeddingFailedException failed =
          assertThrows(EmbeddingFailedException.class, () -> embedder.embedAll(texts(2)));
      assertThat(failed.failureClass(), equalTo(FailureClass.TIMEOUT));
    }
  }

  @Test
  public void aRefusedKeyIsRefusedAtOnceAndTheKeyIsNeverShown() {
    EndpointSpec wrongKey = spec(4, QUICK, "sk-wrong", 16);
    try (Embedder embedder = open(wrongKey)) {
      EmbeddingFailedException failed =
          assertThrows(EmbeddingFailedException.class, () -> embedder.embedAll(texts(2)));
      assertThat(failed.failureClass(), equalTo(FailureClass.REFUSED));
      assertThat(failed.getMessage(), containsString("401"));
      assertThat(failed.getMessage(), not(containsString("sk-wrong")));
    }
    assertThat(server.requests(), equalTo(1));
    assertThat(wrongKey.toString(), not(containsString("sk-wrong")));
  }

  @Test
  public void aDeclaredDimensionTheServerDoesNotGiveFailsTheCheck() {
    IllegalArgumentException wrong =
        assertThrows(
            IllegalArgumentException.class, () -> EndpointEmbedder.check(spec(4, QUICK, KEY, 32)));
    assertThat(wrong.getMessage(), containsString("16 dimensions, not the 32 declared"));
    EndpointEmbedder.check(spec(4, QUICK, KEY, 16));
  }
}
