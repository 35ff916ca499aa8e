package io.sluice.transforms.embed;

import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills every chunk's vector with the embedder its factory opens; sluice's own is the in-process
 * model, loaded once per class loader ({@link SentenceEmbedder#acquire}), a document's chunks
 * embedded in parallel on its pool. Each distinct text of a document is embedded once, and with
 * {@link #withStoredVectors} a text the store already holds a vector for takes that vector: an
 * edited document costs the embeddings of its changed chunks only. A lookup that fails (the store
 * unreachable for a moment) costs embeddings, never a document: its texts are embedded. A document
 * the embedder throws on (a model failing on this input, a wrong number of vectors) comes out as a
 * failure of stage {@code embed}: of the class an endpoint's {@link EmbeddingFailedException} gives
 * ({@code io_error} or {@code timeout} after its retries, {@code refused}), else {@code
 * unexpected}; retryable ones are tried again by later runs and quarantined when they keep failing.
 * The others go on.
 */
public final class EmbedChunks
    extends PTransform<
        PCollection<DocumentRecord>, WithFailures.Result<PCollection<DocumentRecord>, Failure>> {
  private static final TupleTag<DocumentRecord> EMBEDDED = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final Embedder.Factory embedder;
  private final StoredVectors.@Nullable Factory stored;

  private EmbedChunks(Embedder.Factory embedder, StoredVectors.@Nullable Factory stored) {
    this.embedder = embedder;
    this.stored = stored;
  }

  /** Embeds with {@code embedder}; {@link SentenceEmbedder#factory} opens the in-process model. */
  public static EmbedChunks with(Embedder.Factory embedder) {
    if (embedder == null) {
      throw new IllegalArgumentException("embedder must not be null");
    }
    return new EmbedChunks(embedder, null);
  }

  /** Takes the stored vector of a text that has one, instead of embedding it again. */
  public EmbedChunks withStoredVectors(StoredVectors.Factory stored) {
    if (stored == null) {
      throw new IllegalArgumentException("stored vectors must not be null");
    }
    return new EmbedChunks(embedder, stored);
  }

  @Override
  public WithFailures.Result<PCollection<DocumentRecord>, Failure> expand(
      PCollection<DocumentRecord> documents) {
    PCollectionTuple embedded =
        documents.apply(
            "Embed",
            ParDo.of(new EmbedFn(embedder, stored))
                .withOutputTags(EMBEDDED, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(embedded, EMBEDDED, FAILURES);
  }

  private static final class EmbedFn extends DoFn<DocumentRecord, DocumentRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedChunks.class);
    private final Counter chunksEmbedded = Metrics.counter(EmbedChunks.class, "chunks_embedded");
    private final Counter vectorsReused = Metrics.counter(EmbedChunks.class, "vectors_reused");
    private final Counter lookupsFailed =
        Metrics.counter(EmbedChunks.class, "vector_lookups_failed");
    private final Counter documentsFailed = Metrics.counter(EmbedChunks.class, "documents_failed");

    private final Embedder.Factory factory;
    private final StoredVectors.@Nullable Factory storedFactory;
    private transient Embedder embedder;
    private transient @Nullable StoredVectors stored;

    EmbedFn(Embedder.Factory factory, StoredVectors.@Nullable Factory storedFactory) {
      this.factory = factory;
      this.storedFactory = storedFactory;
    }

    @Setup
    public void setup() {
      embedder = factory.open();
      stored = storedFactory == null ? null : storedFactory.open();
    }

    @Teardown
    public void teardown() {
      if (embedder != null) {
        embedder.close();
        embedder = null;
      }
      if (stored != null) {
        stored.close();
        stored = null;
      }
    }

    @ProcessElement
    public void process(@Element DocumentRecord document, MultiOutputReceiver out) {
      long startedMillis = System.currentTimeMillis();
      if (!document.hasText()) {
        out.get(EMBEDDED).output(document.timed(Stage.EMBED, startedMillis));
        return;
      }
      List<Chunk> chunks = document.chunks();
      Map<String, String> textByHash = new LinkedHashMap<>();
      chunks.forEach(chunk -> textByHash.putIfAbsent(chunk.textSha256(), chunk.text()));
      Map<String, float[]> vectorByHash = new HashMap<>(storedVectors(document, textByHash));
      List<String> missing =
          textByHash.keySet().stream().filter(hash -> !vectorByHash.containsKey(hash)).toList();
      try {
        List<float[]> vectors = embedder.embedAll(missing.stream().map(textByHash::get).toList());
        if (vectors.size() != missing.size()) {
          throw new IllegalStateException(
              vectors.size() + " vectors for " + missing.size() + " texts");
        }
        for (int i = 0; i < missing.size(); i++) {
          vectorByHash.put(missing.get(i), vectors.get(i));
        }
      } catch (EmbeddingFailedException e) {
        documentsFailed.inc();
        out.get(FAILURES)
            .output(Failure.of(document.source(), Stage.EMBED, e.failureClass(), e.getMessage()));
        return;
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
      List<Chunk> embedded = new ArrayList<>(chunks.size());
      for (Chunk chunk : chunks) {
        embedded.add(chunk.withEmbedding(vectorByHash.get(chunk.textSha256())));
      }
      chunksEmbedded.inc(missing.size());
      vectorsReused.inc(chunks.size() - missing.size());
      out.get(EMBEDDED).output(document.withChunks(embedded).timed(Stage.EMBED, startedMillis));
    }

    private Map<String, float[]> storedVectors(
        DocumentRecord document, Map<String, String> textByHash) {
      if (stored == null) {
        return Map.of();
      }
      try {
        return stored.find(textByHash.keySet());
      } catch (RuntimeException e) {
        lookupsFailed.inc();
        LOG.warn(
            "cannot look up stored vectors for {}, embedding all {} texts: {}",
            document.source().uri(),
            textByHash.size(),
            e.toString());
        return Map.of();
      }
    }
  }
}
