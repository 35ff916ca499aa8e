package io.sluice.transforms.embed;

import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Fills every chunk's vector with the embedder its factory opens; sluice's own is the in-process
 * model, loaded once per class loader ({@link SentenceEmbedder#acquire}), a document's chunks
 * embedded in parallel on its pool. A document the embedder throws on (a model failing on this
 * input, a wrong number of vectors) comes out as a failure of stage {@code embed} ({@code
 * unexpected}, retried by later runs and quarantined when it keeps failing); the others go on.
 */
public final class EmbedChunks
    extends PTransform<
        PCollection<DocumentRecord>, WithFailures.Result<PCollection<DocumentRecord>, Failure>> {
  private static final TupleTag<DocumentRecord> EMBEDDED = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final Embedder.Factory embedder;

  private EmbedChunks(Embedder.Factory embedder) {
    this.embedder = embedder;
  }

  /** Embeds with {@code embedder}; {@link SentenceEmbedder#factory} opens the in-process model. */
  public static EmbedChunks with(Embedder.Factory embedder) {
    if (embedder == null) {
      throw new IllegalArgumentException("embedder must not be null");
    }
    return new EmbedChunks(embedder);
  }

  @Override
  public WithFailures.Result<PCollection<DocumentRecord>, Failure> expand(
      PCollection<DocumentRecord> documents) {
    PCollectionTuple embedded =
        documents.apply(
            "Embed",
            ParDo.of(new EmbedFn(embedder)).withOutputTags(EMBEDDED, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(embedded, EMBEDDED, FAILURES);
  }

  private static final class EmbedFn extends DoFn<DocumentRecord, DocumentRecord> {
    private final Counter chunksEmbedded = Metrics.counter(EmbedChunks.class, "chunks_embedded");
    private final Counter documentsFailed = Metrics.counter(EmbedChunks.class, "documents_failed");

    private final Embedder.Factory factory;
    private transient Embedder embedder;

    EmbedFn(Embedder.Factory factory) {
      this.factory = factory;
    }

    @Setup
    public void setup() {
      embedder = factory.open();
    }

    @Teardown
    public void teardown() {
      if (embedder != null) {
        embedder.close();
        embedder = null;
      }
    }

    @ProcessElement
    public void process(@Element DocumentRecord document, MultiOutputReceiver out) {
      if (!document.hasText()) {
        out.get(EMBEDDED).output(document);
        return;
      }
      List<Chunk> chunks = document.chunks();
      List<float[]> vectors;
      try {
        vectors = embedder.embedAll(chunks.stream().map(Chunk::text).toList());
        if (vectors.size() != chunks.size()) {
          throw new IllegalStateException(
              vectors.size() + " vectors for " + chunks.size() + " chunks");
        }
      } catch (RuntimeException e) {
        documentsFailed.inc();
        out.get(FAILURES)
            .output(
                Failure.of(
                    document.source(),
                    Stage.EMBED,
                    FailureClass.UNEXPECTED,
                    "embedding failed: " + e));
        return;
      }
      List<Chunk> embedded = new ArrayList<>(vectors.size());
      for (int i = 0; i < vectors.size(); i++) {
        embedded.add(chunks.get(i).withEmbedding(vectors.get(i)));
      }
      chunksEmbedded.inc(vectors.size());
      out.get(EMBEDDED).output(document.withChunks(embedded));
    }
  }
}
