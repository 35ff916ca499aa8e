package io.sluice.transforms.chunk;

import io.sluice.transforms.model.Chunk;
import java.io.Serializable;
import java.util.List;

/** Cuts a document's page texts into chunks; {@link TokenChunker} is sluice's. */
public interface Chunker {
  List<Chunk> chunk(String docId, List<String> pageTexts);

  /** Makes the chunker of one DoFn instance, on the worker, at setup. */
  interface Factory extends Serializable {
    Chunker create(ChunkingSettings settings);
  }
}
