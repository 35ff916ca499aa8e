package io.sluice.sinks.postgres;

import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.keys.IndexVersion;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentMetadata;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Source;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;

/** Embedded documents made up for sink tests: deterministic chunks and vectors from a seed text. */
public final class Fixtures {
  public static final IndexVersion VERSION =
      new IndexVersion(
          "test-model",
          8,
          50,
          5,
          "model-tokens",
          false,
          ModelCatalogue.ALL_MINILM_L6_V2_Q.provenance());

  private Fixtures() {}

  public static RunContext run(String runId) {
    return new RunContext(runId, VERSION);
  }

  /**
   * Stores the documents with sluice's sink in a pipeline of their own, as one sluice run does,
   * {@code batchSize} chunks a transaction at most; none may fail.
   */
  public static void store(
      DatabaseConfig database, String runId, List<DocumentRecord> documents, int batchSize) {
    Pipeline pipeline = Pipeline.create(TestPipeline.testingPipelineOptions());
    PAssert.that(
            pipeline
                .apply(Create.of(documents))
                .apply(
                    PostgresIO.writeDocuments()
                        .withDatabase(database)
                        .withRun(run(runId))
                        .withBatchSize(batchSize))
                .failures())
        .empty();
    pipeline.run().waitUntilFinish();
  }

  public static Source source(String uri, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new Source(uri, Keys.docId(bytes), bytes.length);
  }

  /** A document of {@code chunks} chunks whose vectors depend only on the content. */
  public static DocumentRecord document(String uri, String content, int chunks) {
    Source source = source(uri, content);
    Random random = new Random(content.hashCode());
    List<Chunk> list = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      String text = content + " part " + i;
      float[] vector = new float[VERSION.dimension()];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = random.nextFloat();
      }
      list.add(
          new Chunk(
              Keys.chunkId(source.docId(), 1, i * 10, i * 10 + 9, text),
              1,
              i,
              i * 10,
              i * 10 + 9,
              3,
              text,
              Keys.sha256Hex(text),
              vector));
    }
    DocumentMetadata metadata =
        new DocumentMetadata(
            1,
            "1.7",
            "Title " + content,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            true,
            true,
            true,
            true,
            null);
    return new DocumentRecord(source, metadata, List.of(), list);
  }
}
