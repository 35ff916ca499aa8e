package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The references the bulk tables keep without foreign keys (schema version 4): every chunk's
 * document, every vector's chunk and index version. The sink and {@link DocumentRemoval} keep them
 * by writing and removing a document whole in one transaction; this counts the rows that break them
 * anyway (a hand-made delete, a restore of one table), so that {@code sluice status} can show them.
 * A count is an anti-join over the whole table: seconds on millions of rows, meant for a status
 * check, not for every write.
 */
public final class StoreIntegrity {
  /** Rows whose parent row is missing, by reference. */
  public record Orphans(
      long chunksWithoutDocument, long vectorsWithoutChunk, long vectorsWithoutIndexVersion) {
    public boolean none() {
      return chunksWithoutDocument == 0
          && vectorsWithoutChunk == 0
          && vectorsWithoutIndexVersion == 0;
    }
  }

  private StoreIntegrity() {}

  public static Orphans orphans(DatabaseConfig database) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                """
                SELECT
                  (SELECT count(*) FROM indexing.chunks c WHERE NOT EXISTS
                     (SELECT 1 FROM ingestion.documents d WHERE d.doc_id = c.doc_id)),
                  (SELECT count(*) FROM indexing.vectors v WHERE NOT EXISTS
                     (SELECT 1 FROM indexing.chunks c WHERE c.chunk_id = v.chunk_id)),
                  (SELECT count(*) FROM indexing.vectors v WHERE NOT EXISTS
                     (SELECT 1 FROM indexing.index_versions i
                      WHERE i.pipeline_run_id = v.pipeline_run_id))""")) {
      result.next();
      return new Orphans(result.getLong(1), result.getLong(2), result.getLong(3));
    }
  }
}
