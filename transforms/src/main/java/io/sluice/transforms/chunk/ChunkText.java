package io.sluice.transforms.chunk;

import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Replaces each document's page texts by its chunks, sized in the embedding model's tokens. */
public final class ChunkText
    extends PTransform<PCollection<DocumentRecord>, PCollection<DocumentRecord>> {

  private final ChunkingSettings settings;

  private ChunkText(ChunkingSettings settings) {
    this.settings = settings;
  }

  public static ChunkText with(ChunkingSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    return new ChunkText(settings);
  }

  @Override
  public PCollection<DocumentRecord> expand(PCollection<DocumentRecord> documents) {
    return documents.apply("Chunk", ParDo.of(new ChunkFn(settings)));
  }

  private static final class ChunkFn extends DoFn<DocumentRecord, DocumentRecord> {
    private final Counter chunksCreated = Metrics.counter(ChunkText.class, "chunks_created");
    private final Distribution tokensPerChunk =
        Metrics.distribution(ChunkText.class, "tokens_per_chunk");

    private final ChunkingSettings settings;
    private transient TokenChunker chunker;

    ChunkFn(ChunkingSettings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() {
      chunker = new TokenChunker(settings);
    }

    @ProcessElement
    public void process(@Element DocumentRecord document, OutputReceiver<DocumentRecord> out) {
      List<Chunk> chunks = chunker.chunk(document.source().docId(), document.pageTexts());
      chunksCreated.inc(chunks.size());
      chunks.forEach(chunk -> tokensPerChunk.update(chunk.tokenCount()));
      out.output(document.withChunks(chunks));
    }
  }
}
