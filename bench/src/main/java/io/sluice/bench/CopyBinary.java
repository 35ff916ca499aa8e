package io.sluice.bench;

import io.sluice.sinks.postgres.BinaryCopyRows;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The raw PostgreSQL write limit for sluice's rows: the chunk rows and vector rows of the
 * documents, in one binary COPY each, into unlogged scratch tables without keys or indexes.
 * Nothing that writes the same rows durably and idempotently can be faster.
 */
final class CopyBinary {
  private CopyBinary() {}

  /** Rows written per second, chunks and vectors together. */
  static Rate write(DatabaseConfig database, List<DocumentRecord> documents, String indexVersion)
      throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("""
          CREATE UNLOGGED TABLE scratch_chunks (chunk_id text, doc_id text, page integer,
              ordinal integer, char_start integer, char_end integer, token_count integer,
              text text, text_sha256 text, run_id text)""");
      statement.execute("""
          CREATE UNLOGGED TABLE scratch_vectors (chunk_id text, pipeline_run_id text,
              dimension integer, embedding real[], run_id text)""");
      long start = System.nanoTime();
      BinaryCopyRows chunks = new BinaryCopyRows();
      BinaryCopyRows vectors = new BinaryCopyRows();
      for (DocumentRecord document : documents) {
        for (Chunk chunk : document.chunks()) {
          chunks.row(10).text(chunk.chunkId()).text(document.source().docId())
              .integer(chunk.page()).integer(chunk.ordinal()).integer(chunk.charStart())
              .integer(chunk.charEnd()).integer(chunk.tokenCount()).text(chunk.text())
              .text(chunk.textSha256()).text("bench");
          vectors.row(5).text(chunk.chunkId()).text(indexVersion)
              .integer(chunk.embedding().length).realArray(chunk.embedding()).text("bench");
        }
      }
      long rows = chunks.copyInto(connection, "scratch_chunks")
          + vectors.copyInto(connection, "scratch_vectors");
      return Rate.since(rows, start);
    }
  }
}
