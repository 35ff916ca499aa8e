package io.sluice.transforms.embed;

import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Fills every chunk's vector with an in-process embedding model. The model is loaded once per class loader
 * ({@link SentenceEmbedder#acquire}); a document's chunks are embedded in parallel on its pool.
 */
public final class EmbedChunks
    extends PTransform<PCollection<DocumentRecord>, PCollection<DocumentRecord>> {

  private final ModelSpec model;
  private final int threads;

  private EmbedChunks(ModelSpec model, int threads) {
    this.model = model;
    this.threads = threads;
  }

  public static EmbedChunks with(ModelSpec model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    return new EmbedChunks(model, Runtime.getRuntime().availableProcessors());
  }

  /** Inference threads per JVM; defaults to the number of cores. */
  public EmbedChunks withThreads(int inferenceThreads) {
    if (inferenceThreads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + inferenceThreads);
    }
    return new EmbedChunks(model, inferenceThreads);
  }

  @Override
  public PCollection<DocumentRecord> expand(PCollection<DocumentRecord> documents) {
    return documents.apply("Embed", ParDo.of(new EmbedFn(model, threads)));
  }

  private static final class EmbedFn extends DoFn<DocumentRecord, DocumentRecord> {
    private final Counter chunksEmbedded = Metrics.counter(EmbedChunks.class, "chunks_embedded");

    private final ModelSpec model;
    private final int threads;
    private transient SentenceEmbedder embedder;

    EmbedFn(ModelSpec model, int threads) {
      this.model = model;
      this.threads = threads;
    }

    @Setup
    public void setup() {
      embedder = SentenceEmbedder.acquire(model, threads);
    }

    @Teardown
    public void teardown() {
      if (embedder != null) {
        embedder.close();
        embedder = null;
      }
    }

    @ProcessElement
    public void process(@Element DocumentRecord document, OutputReceiver<DocumentRecord> out) {
      if (!document.hasText()) {
        out.output(document);
        return;
      }
      List<float[]> vectors =
          embedder.embedAll(document.chunks().stream().map(Chunk::text).toList());
      List<Chunk> embedded = new ArrayList<>(vectors.size());
      for (int i = 0; i < vectors.size(); i++) {
        embedded.add(document.chunks().get(i).withEmbedding(vectors.get(i)));
      }
      chunksEmbedded.inc(vectors.size());
      out.output(document.withChunks(embedded));
    }
  }
}
