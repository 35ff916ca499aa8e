package io.sluice.transforms.keys;

import java.io.Serializable;

/**
 * An index version ({@code pipeline_run_id} in the schema): the embedding model, its dimension, the
 * chunking parameters and where the vectors come from. Changing any of them yields a new id, so new
 * vectors are built beside the old ones instead of being mixed with them.
 */
public record IndexVersion(
    String embeddingModel,
    int dimension,
    int chunkSize,
    int chunkOverlap,
    String chunkUnit,
    boolean acrossPages,
    EmbeddingProvenance provenance)
    implements Serializable {

  public IndexVersion {
    if (provenance == null) {
      throw new IllegalArgumentException("provenance must not be null");
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    }
    if (chunkSize <= 0 || chunkOverlap < 0 || chunkOverlap >= chunkSize) {
      throw new IllegalArgumentException(
          "need 0 <= chunkOverlap < chunkSize, got size "
              + chunkSize
              + ", overlap "
              + chunkOverlap);
    }
  }

  /** {@code iv-} and the first 16 hex digits of the SHA-256 of the canonical parameter string. */
  public String id() {
    return "iv-" + Keys.sha256Hex(canonical()).substring(0, 16);
  }

  private String canonical() {
    return String.join(
            "|",
            "model=" + embeddingModel,
            "dim=" + dimension,
            "chunk_size=" + chunkSize,
            "chunk_overlap=" + chunkOverlap,
            "chunk_unit=" + chunkUnit,
            "across_pages=" + acrossPages)
        + provenance.identity();
  }
}
