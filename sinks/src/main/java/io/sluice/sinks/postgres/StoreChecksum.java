package io.sluice.sinks.postgres;

import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.legacy.TargetTable;
import io.sluice.transforms.legacy.TargetTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A deterministic digest per table of what sluice stored, vectors included, ignoring timestamps,
 * run ids and attempt counts: two runs that produced the same stores print the same lines,
 * whichever machine, runner or database did the work. Rows are hashed in byte order of their keys
 * ({@code COLLATE "C"}), so the database's collation does not matter either.
 */
public final class StoreChecksum {
  /** A table's row count and the SHA-256 of its rows in key order. */
  public record TableDigest(String table, long rows, String sha256) {
    @Override
    public String toString() {
      return String.format("%-34s %8d  %s", table, rows, sha256);
    }
  }

  private static final Map<String, String> QUERIES = new LinkedHashMap<>();

  static {
    QUERIES.put(
        "ingestion.sources",
        """
        SELECT ROW(source_uri, doc_id, size_bytes)::text FROM ingestion.sources
        ORDER BY source_uri COLLATE "C\"""");
    QUERIES.put(
        "ingestion.documents",
        """
        SELECT ROW(doc_id, size_bytes, pages, metadata, status, error_message)::text
        FROM ingestion.documents ORDER BY doc_id COLLATE "C\"""");
    QUERIES.put(
        "indexing.index_versions",
        """
        SELECT ROW(pipeline_run_id, embedding_model, dimension, chunk_size, chunk_overlap,
                   chunk_unit, across_pages, parameters)::text
        FROM indexing.index_versions ORDER BY pipeline_run_id COLLATE "C\"""");
    QUERIES.put(
        "indexing.chunks",
        """
        SELECT ROW(chunk_id, doc_id, page, ordinal, char_start, char_end, token_count, text,
                   text_sha256)::text
        FROM indexing.chunks ORDER BY chunk_id COLLATE "C\"""");
    QUERIES.put(
        "indexing.vectors",
        """
        SELECT ROW(chunk_id, pipeline_run_id, dimension, embedding)::text
        FROM indexing.vectors ORDER BY chunk_id COLLATE "C", pipeline_run_id COLLATE "C\"""");
    QUERIES.put(
        "workflow.document_stages",
        """
        SELECT ROW(doc_id, pipeline_run_id, stage, status, error_class, retryable,
                   error_message)::text
        FROM workflow.document_stages
        ORDER BY doc_id COLLATE "C", pipeline_run_id COLLATE "C", stage COLLATE "C\"""");
    QUERIES.put(
        "observability.request_failures",
        """
        SELECT r FROM (SELECT DISTINCT ROW(source_uri, stage, doc_id, error_class, retryable,
                                           message)::text AS r
                       FROM observability.request_failures) failures
        ORDER BY r COLLATE "C\"""");
    for (TargetTable table : TargetTables.ALL) {
      // Backfilled rows only: sluice's own run records, and the token usage of its own runs'
      // requests, differ from run to run.
      QUERIES.put(
          table.name() + (table == TargetTables.RUN_RECORDS ? " (backfilled)" : ""),
          "SELECT ROW("
              + LegacySql.names(table.columns())
              + ", source)::text FROM "
              + table.name()
              + " WHERE source IS NOT NULL"
              + (table == TargetTables.TOKEN_USAGE ? " AND run_id IS NULL" : "")
              + " ORDER BY "
              + table.keys().stream()
                  .map(key -> key.name() + " COLLATE \"C\"")
                  .collect(Collectors.joining(", ")));
    }
  }

  private StoreChecksum() {}

  public static List<TableDigest> compute(DatabaseConfig database) throws SQLException {
    List<TableDigest> digests = new ArrayList<>();
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (Statement settings = connection.createStatement()) {
        // Shortest exact float text, whatever the server's default.
        settings.execute("SET extra_float_digits = 1");
        // Times print the same whatever the server's zone.
        settings.execute("SET TimeZone = 'UTC'");
      }
      for (Map.Entry<String, String> table : QUERIES.entrySet()) {
        digests.add(digest(connection, table.getKey(), table.getValue()));
      }
      connection.commit();
    }
    return digests;
  }

  /** One line per table, then the digest of all tables together. */
  public static String report(List<TableDigest> digests) {
    StringBuilder out = new StringBuilder();
    MessageDigest all = Keys.sha256();
    for (TableDigest digest : digests) {
      out.append(digest).append('\n');
      all.update(
          (digest.table() + " " + digest.rows() + " " + digest.sha256() + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    out.append(String.format("%-34s %8s  %s%n", "total", "", Keys.hex(all.digest())));
    return out.toString();
  }

  private static TableDigest digest(Connection connection, String table, String query)
      throws SQLException {
    MessageDigest sha = Keys.sha256();
    long rows = 0;
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setFetchSize(1000);
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          sha.update(result.getString(1).getBytes(StandardCharsets.UTF_8));
          sha.update((byte) '\n');
          rows++;
        }
      }
    }
    return new TableDigest(table, rows, Keys.hex(sha.digest()));
  }
}
