package io.sluice.transforms.chunk;

import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
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
 * Replaces each document's page texts by its chunks, sized in the embedding model's tokens. A
 * document the chunker throws on comes out as a failure of stage {@code chunk} ({@code unexpected},
 * retried by later runs and quarantined when it keeps failing); the others go on.
 */
public final class ChunkText
    extends PTransform<
        PCollection<DocumentRecord>, WithFailures.Result<PCollection<DocumentRecord>, Failure>> {
  private static final TupleTag<DocumentRecord> CHUNKED = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final ChunkingSettings settings;
  private final Chunker.Factory chunker;

  private ChunkText(ChunkingSettings settings, Chunker.Factory chunker) {
    this.settings = settings;
    this.chunker = chunker;
  }

  /** Chunks with sluice's {@link TokenChunker}. */
  public static ChunkText with(ChunkingSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    return new ChunkText(settings, TokenChunker::new);
  }

  /** Chunks with another chunker, made once per DoFn instance from the settings. */
  public ChunkText withChunker(Chunker.Factory newChunker) {
    if (newChunker == null) {
      throw new IllegalArgumentException("chunker must not be null");
    }
    return new ChunkText(settings, newChunker);
  }

  @Override
  public WithFailures.Result<PCollection<DocumentRecord>, Failure> expand(
      PCollection<DocumentRecord> documents) {
    PCollectionTuple chunked =
        documents.apply(
            "Chunk",
            ParDo.of(new ChunkFn(this)).withOutputTags(CHUNKED, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(chunked, CHUNKED, FAILURES);
  }

  private static final class ChunkFn extends DoFn<DocumentRecord, DocumentRecord> {
    private final Counter chunksCreated = Metrics.counter(ChunkText.class, "chunks_created");
    private final Counter documentsFailed = Metrics.counter(ChunkText.class, "documents_failed");
    private final Distribution tokensPerChunk =
        Metrics.distribution(ChunkText.class, "tokens_per_chunk");

    private final ChunkText spec;
    private transient Chunker chunker;

    ChunkFn(ChunkText spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      chunker = spec.chunker.create(spec.settings);
    }

    @ProcessElement
    public void process(@Element DocumentRecord document, MultiOutputReceiver out) {
      long startedMillis = System.currentTimeMillis();
      List<Chunk> chunks;
      try {
        chunks = chunker.chunk(document.source().docId(), document.pageTexts());
      } catch (RuntimeException e) {
        documentsFailed.inc();
        out.get(FAILURES)
            .output(
                Failure.of(
                    document.source(),
                    Stage.CHUNK,
                    FailureClass.UNEXPECTED,
                    "chunking failed: " + e));
        return;
      }
      chunksCreated.inc(chunks.size());
      chunks.forEach(chunk -> tokensPerChunk.update(chunk.tokenCount()));
      out.get(CHUNKED).output(document.withChunks(chunks).timed(Stage.CHUNK, startedMillis));
    }
  }
}
