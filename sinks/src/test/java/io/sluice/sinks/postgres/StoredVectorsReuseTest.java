package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.testing.TestDatabases;
import io.sluice.transforms.embed.EmbedChunks;
import io.sluice.transforms.embed.Embedder;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Test;

/**
 * {@link EmbedChunks} taking the vectors PostgreSQL already holds for its index version: a stored
 * text is not embedded again and keeps its stored bits, a new one is embedded, the same text twice
 * in a document is embedded once, and a store that cannot be read costs embeddings, not documents.
 */
public class StoredVectorsReuseTest {
  private static final String VERSION = Fixtures.VERSION.id();
  // What the stand-in model gives every text: never a stored fixture vector.
  private static final float MODEL_VALUE = 0.25f;

  private static Embedder.Factory constantModel() {
    return () ->
        new Embedder() {
          @Override
          public List<float[]> embedAll(List<String> texts) {
            return texts.stream()
                .map(
                    text -> {
                      float[] vector = new float[Fixtures.VERSION.dimension()];
                      Arrays.fill(vector, MODEL_VALUE);
                      return vector;
                    })
                .toList();
          }

          @Override
          public float[] embedQuery(String question) {
            return embedAll(List.of(question)).get(0);
          }

          @Override
          public void close() {}
        };
  }

  private static long counter(PipelineResult result, String name) {
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(EmbedChunks.class, name))
                    .build())
            .getCounters()) {
      return counter.getAttempted();
    }
    return 0;
  }

  private static PipelineResult embed(DatabaseConfig database, DocumentRecord... documents) {
    Pipeline pipeline = Pipeline.create(TestPipeline.testingPipelineOptions());
    PCollection<DocumentRecord> embedded =
        pipeline
            .apply(Create.of(List.of(documents)))
            .apply(
                EmbedChunks.with(constantModel())
                    .withStoredVectors(new PostgresStoredVectors(database, VERSION)))
            .output();
    PAssert.that(embedded)
        .satisfies(
            out -> {
              out.forEach(StoredVectorsReuseTest::checkVectors);
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  /** Chunks 0 to 4 were stored with their fixture vectors; any other is the model's. */
  private static void checkVectors(DocumentRecord document) {
    List<Chunk> stored = Fixtures.document("file:///old.pdf", "manual", 5).chunks();
    for (Chunk chunk : document.chunks()) {
      float[] expected =
          chunk.ordinal() < 5 && chunk.text().equals(stored.get(chunk.ordinal()).text())
              ? stored.get(chunk.ordinal()).embedding()
              : constantModel().open().embedAll(List.of(chunk.text())).get(0);
      assertThat(chunk.text(), Arrays.equals(chunk.embedding(), expected), equalTo(true));
    }
  }

  @Test
  public void storedTextsTakeTheirVectorsAndOnlyNewTextsAreEmbedded() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    Fixtures.store(
        database, "first", List.of(Fixtures.document("file:///old.pdf", "manual", 5)), 100);

    // The same source grown by two chunks: five texts stored, two new.
    PipelineResult result = embed(database, Fixtures.document("file:///old.pdf", "manual", 7));

    assertThat(counter(result, "chunks_embedded"), equalTo(2L));
    assertThat(counter(result, "vectors_reused"), equalTo(5L));
    assertThat(counter(result, "vector_lookups_failed"), equalTo(0L));
  }

  @Test
  public void aTextTwiceInADocumentIsEmbeddedOnce() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    DocumentRecord once = Fixtures.document("file:///twice.pdf", "twice", 3);
    List<Chunk> chunks = once.chunks();
    DocumentRecord twice =
        once.withChunks(
            List.of(
                chunks.get(0),
                chunks.get(1),
                new Chunk(
                    chunks.get(2).chunkId(),
                    chunks.get(2).page(),
                    chunks.get(2).ordinal(),
                    chunks.get(2).charStart(),
                    chunks.get(2).charEnd(),
                    chunks.get(2).tokenCount(),
                    chunks.get(0).text(),
                    chunks.get(0).textSha256(),
                    null)));

    PipelineResult result = embed(database, twice);

    assertThat(counter(result, "chunks_embedded"), equalTo(2L));
    assertThat(counter(result, "vectors_reused"), equalTo(1L));
  }

  @Test
  public void aStoreThatCannotBeReadCostsEmbeddingsNotDocuments() throws Exception {
    // Nothing listens on port 1; a second's wait for a connection instead of the pool's two
    // minutes.
    Duration second = Duration.ofSeconds(1);
    DatabaseConfig unreachable =
        new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/none?user=nobody")
            .withLimits(new ConnectionLimits(1, second, second, second));

    PipelineResult result = embed(unreachable, Fixtures.document("file:///old.pdf", "new", 4));

    assertThat(counter(result, "chunks_embedded"), equalTo(4L));
    assertThat(counter(result, "vectors_reused"), equalTo(0L));
    assertThat(counter(result, "vector_lookups_failed"), equalTo(1L));
  }
}
