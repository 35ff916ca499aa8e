package io.sluice.pipelines;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.chunk.Chunker;
import io.sluice.transforms.chunk.TokenChunker;
import io.sluice.transforms.embed.Embedder;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.SentenceEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A chunker and an embedder that throw on one document each, among others they handle: the run
 * completes, each of the two documents has a failure record and a failed ledger stage naming the
 * stage that threw, and the others are stored.
 */
public class StageFailuresTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** sluice's chunker, except on a document that mentions "beta". */
  private static final Chunker.Factory CHUNKER_FAILING_ON_BETA =
      settings -> {
        TokenChunker chunker = new TokenChunker(settings);
        return (docId, pages) -> {
          if (pages.stream().anyMatch(page -> page.contains("beta"))) {
            throw new IllegalStateException("the chunker's defect on beta");
          }
          return chunker.chunk(docId, pages);
        };
      };

  /** The real model, except on a document whose text mentions "gamma". */
  private static Embedder.Factory embedderFailingOnGamma(ModelSpec model) {
    Embedder.Factory real = SentenceEmbedder.factory(model, 2);
    return () -> {
      Embedder embedder = real.open();
      return new Embedder() {
        @Override
        public List<float[]> embedAll(List<String> texts) {
          if (texts.stream().anyMatch(text -> text.contains("gamma"))) {
            throw new IllegalStateException("the model failed on gamma");
          }
          return embedder.embedAll(texts);
        }

        @Override
        public float[] embedQuery(String question) {
          return embedder.embedQuery(question);
        }

        @Override
        public void close() {
          embedder.close();
        }
      };
    };
  }

  @Test
  public void aThrowingChunkerAndEmbedderFailOneDocumentEachAndTheOthersAreStored()
      throws Exception {
    Path input = folder.newFolder("input").toPath();
    for (String name : List.of("alpha", "beta", "gamma", "delta")) {
      Files.write(
          input.resolve(name + ".pdf"),
          SampleCorpus.textPdf(
              name, List.of("A page about " + name + " and the canal locks along the river.")));
    }
    DatabaseConfig database = TestDatabases.fresh();

    PipelineResult result =
        Ingests.run(
            database,
            List.of(input.toString()),
            "throwing",
            CHUNKER_FAILING_ON_BETA,
            embedderFailingOnGamma(ModelCatalogue.named("all-minilm-l6-v2-q")));

    assertThat(result.getState(), equalTo(PipelineResult.State.DONE));
    Map<String, String> failures =
        Ingests.map(
            database,
            "SELECT substring(source_uri from"
                + " '[a-z]+\\.pdf$'), stage || ' ' || error_class || ' ' || retryable || ': ' || message"
                + " FROM observability.request_failures WHERE run_id = 'throwing'");
    assertThat(
        failures,
        equalTo(
            Map.of(
                "beta.pdf",
                    "chunk unexpected true: chunking failed:"
                        + " java.lang.IllegalStateException: the chunker's defect on beta",
                "gamma.pdf",
                    "embed unexpected true: embedding failed:"
                        + " java.lang.IllegalStateException: the model failed on gamma")));
    assertThat(
        Ingests.map(
            database,
            "SELECT stage, status FROM workflow.document_stages" + " WHERE status <> 'completed'"),
        equalTo(Map.of("chunk", "failed", "embed", "failed")));
    assertThat(
        count(
            database,
            "SELECT count(DISTINCT doc_id) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND status = 'completed'"),
        equalTo(2L));
    assertThat(count(database, "SELECT count(DISTINCT doc_id) FROM indexing.chunks"), equalTo(2L));
  }
}
