package io.sluice.transforms.model;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One chunk of a document's text. Offsets are UTF-16 positions in the document text (pages joined
 * by a form feed); {@code page} is the 1-based page the chunk starts on. The embedding is absent
 * until the embed stage fills it.
 */
public record Chunk(
    String chunkId,
    int page,
    int ordinal,
    int charStart,
    int charEnd,
    int tokenCount,
    String text,
    String textSha256,
    @Nullable float[] embedding) {

  public Chunk withEmbedding(float[] vector) {
    return new Chunk(
        chunkId, page, ordinal, charStart, charEnd, tokenCount, text, textSha256, vector);
  }
}
