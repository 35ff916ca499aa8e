package io.sluice.transforms.chunk;

import io.sluice.transforms.embed.ModelSpec;
import java.io.Serializable;

/**
 * Chunk size and overlap in the embedding model's tokens, and whether a chunk may run across a page
 * boundary. A chunk never exceeds the model's input window, so no chunk's tail is silently cut off
 * at embedding time.
 */
public record ChunkingSettings(
    ModelSpec model, int chunkSize, int chunkOverlap, boolean acrossPages) implements Serializable {

  public ChunkingSettings {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    if (chunkSize <= 0 || chunkSize > model.maxChunkTokens()) {
      throw new IllegalArgumentException(
          "chunkSize must be between 1 and "
              + model.maxChunkTokens()
              + " tokens (the window of "
              + model.name()
              + " less its two special tokens), got "
              + chunkSize);
    }
    if (chunkOverlap < 0 || chunkOverlap >= chunkSize) {
      throw new IllegalArgumentException(
          "chunkOverlap must be at least 0 and below chunkSize ("
              + chunkSize
              + "), got "
              + chunkOverlap);
    }
  }

  public static ChunkingSettings defaults(ModelSpec model) {
    return new ChunkingSettings(model, Math.min(120, model.maxChunkTokens()), 16, false);
  }
}
