package io.sluice.bench;

import io.sluice.sinks.postgres.ChunkCopyRows;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.IndexVersions;
import io.sluice.transforms.keys.IndexVersion;
import io.sluice.transforms.model.DocumentRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL's write limits for sluice's rows (the chunk rows and vector rows of the documents),
 * each measured with one binary COPY per table: into unlogged scratch tables without keys or
 * indexes (the raw limit), into logged copies of sluice's tables with their keys, indexes and
 * checks (what durability and lookups cost before sluice adds anything), and into sluice's own
 * tables, the sink's very target (since schema version 4 without foreign keys, so close to the
 * copies; a constraint added to them later shows here first). Each is measured warm: the rows are
 * encoded and copied once, the tables emptied, a checkpoint taken (so that none falls in the timed
 * copy), and the second copy is timed.
 */
final class CopyBinary {
  /**
   * The three limits, in rows per second, chunks and vectors together: unlogged without keys,
   * logged with keys and indexes, and into sluice's own tables.
   */
  record Limits(Rate raw, Rate durable, Rate own) {}

  private CopyBinary() {}

  static Limits measure(
      DatabaseConfig migratedDatabase, List<DocumentRecord> documents, IndexVersion version)
      throws SQLException {
    String indexVersion = version.id();
    try (Connection connection = migratedDatabase.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          """
          CREATE UNLOGGED TABLE raw_chunks (chunk_id text, doc_id text, page integer,
              ordinal integer, char_start integer, char_end integer, token_count integer,
              text text, text_sha256 text, run_id text)""");
      statement.execute(
          """
          CREATE UNLOGGED TABLE raw_vectors (chunk_id text, pipeline_run_id text,
              dimension integer, embedding real[], run_id text)""");
      statement.execute("CREATE TABLE durable_chunks (LIKE indexing.chunks INCLUDING ALL)");
      statement.execute("CREATE TABLE durable_vectors (LIKE indexing.vectors INCLUDING ALL)");
      Rate raw = copy(connection, documents, indexVersion, "raw_");
      Rate durable = copy(connection, documents, indexVersion, "durable_");
      // The documents and the version are there first, as for the sink.
      IndexVersions.register(connection, version);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO ingestion.documents (doc_id, size_bytes, status, first_run_id, run_id)"
                  + " VALUES (?, ?, 'ok', 'bench', 'bench') ON CONFLICT DO NOTHING")) {
        for (DocumentRecord document : documents) {
          insert.setString(1, document.source().docId());
          insert.setLong(2, document.source().sizeBytes());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      return new Limits(raw, durable, copy(connection, documents, indexVersion, "indexing."));
    }
  }

  private static Rate copy(
      Connection connection,
      List<DocumentRecord> documents,
      String indexVersion,
      String tablePrefix)
      throws SQLException {
    timedCopy(connection, documents, indexVersion, tablePrefix);
    try (Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE " + tablePrefix + "vectors, " + tablePrefix + "chunks");
    }
    checkpoint(connection);
    return timedCopy(connection, documents, indexVersion, tablePrefix);
  }

  /** Writes out what earlier work left in the WAL, so that no checkpoint falls in a timing. */
  static void checkpoint(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT");
    }
  }

  private static Rate timedCopy(
      Connection connection,
      List<DocumentRecord> documents,
      String indexVersion,
      String tablePrefix)
      throws SQLException {
    long start = System.nanoTime();
    ChunkCopyRows rows = new ChunkCopyRows("bench", indexVersion);
    for (DocumentRecord document : documents) {
      document.chunks().forEach(chunk -> rows.add(document.source().docId(), chunk));
    }
    long copied = rows.copyInto(connection, tablePrefix + "chunks", tablePrefix + "vectors");
    return Rate.since(copied, start);
  }
}
