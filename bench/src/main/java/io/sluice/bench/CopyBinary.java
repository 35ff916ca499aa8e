package io.sluice.bench;

import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The raw PostgreSQL write limit for sluice's rows: the chunk rows and vector rows of the
 * documents, in PostgreSQL's binary COPY format, into unlogged scratch tables without indexes.
 * Nothing sluice does to write the same rows can be faster.
 */
final class CopyBinary {
  /** PostgreSQL's type id of {@code real} (float4), named in a binary array's header. */
  private static final int FLOAT4_OID = 700;
  private static final byte[] SIGNATURE =
      "PGCOPY\n\u00ff\r\n\u0000".getBytes(StandardCharsets.ISO_8859_1);

  private CopyBinary() {}

  /** Rows written per second, chunks and vectors together. */
  static Rate write(DatabaseConfig database, List<DocumentRecord> documents, String indexVersion)
      throws SQLException, IOException {
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
      byte[] chunks = encode(documents, false, indexVersion);
      byte[] vectors = encode(documents, true, indexVersion);
      var copy = connection.unwrap(PGConnection.class).getCopyAPI();
      long rows = copy.copyIn("COPY scratch_chunks FROM STDIN (FORMAT binary)",
          new ByteArrayInputStream(chunks));
      rows += copy.copyIn("COPY scratch_vectors FROM STDIN (FORMAT binary)",
          new ByteArrayInputStream(vectors));
      return Rate.since(rows, start);
    }
  }

  private static byte[] encode(List<DocumentRecord> documents, boolean vectors,
      String indexVersion) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(SIGNATURE);
    out.writeInt(0); // flags
    out.writeInt(0); // header extension length
    for (DocumentRecord document : documents) {
      for (Chunk chunk : document.chunks()) {
        if (vectors) {
          out.writeShort(5);
          text(out, chunk.chunkId());
          text(out, indexVersion);
          integer(out, chunk.embedding().length);
          realArray(out, chunk.embedding());
          text(out, "bench");
        } else {
          out.writeShort(10);
          text(out, chunk.chunkId());
          text(out, document.source().docId());
          integer(out, chunk.page());
          integer(out, chunk.ordinal());
          integer(out, chunk.charStart());
          integer(out, chunk.charEnd());
          integer(out, chunk.tokenCount());
          text(out, chunk.text());
          text(out, chunk.textSha256());
          text(out, "bench");
        }
      }
    }
    out.writeShort(-1);
    out.flush();
    return bytes.toByteArray();
  }

  private static void text(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static void integer(DataOutputStream out, int value) throws IOException {
    out.writeInt(4);
    out.writeInt(value);
  }

  /** A one-dimensional float4 array: header, then each element with its length. */
  private static void realArray(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(20 + values.length * 8);
    out.writeInt(1); // dimensions
    out.writeInt(0); // no nulls
    out.writeInt(FLOAT4_OID);
    out.writeInt(values.length);
    out.writeInt(1); // lower bound
    for (float value : values) {
      out.writeInt(4);
      out.writeFloat(value);
    }
  }
}
