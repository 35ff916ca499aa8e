package io.sluice.sinks.postgres;

import io.sluice.transforms.model.Chunk;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Chunk rows and their vector rows, in the columns of {@code indexing.chunks} and {@code
 * indexing.vectors}, for one binary COPY each into those tables or tables shaped like them.
 */
public final class ChunkCopyRows {
  private static final String CHUNK_COLUMNS =
      " (chunk_id, doc_id, page, ordinal, char_start,"
          + " char_end, token_count, text, text_sha256, run_id)";
  private static final String VECTOR_COLUMNS =
      " (chunk_id, pipeline_run_id, dimension, embedding, run_id)";

  private final String runId;
  private final String indexVersion;
  private final BinaryCopyRows chunks = new BinaryCopyRows();
  private final BinaryCopyRows vectors = new BinaryCopyRows();

  public ChunkCopyRows(String runId, String indexVersion) {
    this.runId = runId;
    this.indexVersion = indexVersion;
  }

  public ChunkCopyRows add(String docId, Chunk chunk) {
    float[] embedding = chunk.embedding();
    if (embedding == null) {
      throw new IllegalStateException("chunk " + chunk.chunkId() + " reached the sink unembedded");
    }
    chunks
        .row(10)
        .text(chunk.chunkId())
        .text(docId)
        .integer(chunk.page())
        .integer(chunk.ordinal())
        .integer(chunk.charStart())
        .integer(chunk.charEnd())
        .integer(chunk.tokenCount())
        .text(chunk.text())
        .text(chunk.textSha256())
        .text(runId);
    vectors
        .row(5)
        .text(chunk.chunkId())
        .text(indexVersion)
        .integer(embedding.length)
        .realArray(embedding)
        .text(runId);
    return this;
  }

  public boolean isEmpty() {
    return chunks.rows() == 0;
  }

  /** Copies the rows into the two tables; returns how many rows they took together. */
  public long copyInto(Connection connection, String chunkTable, String vectorTable)
      throws SQLException {
    return chunks.copyInto(connection, chunkTable + CHUNK_COLUMNS)
        + vectors.copyInto(connection, vectorTable + VECTOR_COLUMNS);
  }
}
