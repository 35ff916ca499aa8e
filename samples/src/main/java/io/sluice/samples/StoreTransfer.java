package io.sluice.samples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Copies what an ingest stored from one database to another, row by row through JSON, with plain
 * INSERTs: the way into PGlite, whose server ends on {@code COPY … FROM STDIN}, so sluice's own
 * write path cannot reach it. The target must be migrated first; the tests and the bench use it.
 */
public final class StoreTransfer {
  private static final List<String> TABLES =
      List.of(
          "ingestion.documents",
          "ingestion.sources",
          "indexing.index_versions",
          "indexing.chunks",
          "indexing.vectors");
  private static final int BATCH = 500;

  private StoreTransfer() {}

  /** Copies documents, sources, index versions, chunks and vectors in one transaction. */
  public static void copy(String fromUrl, String toUrl) throws SQLException {
    try (Connection source = DriverManager.getConnection(fromUrl);
        Connection target = DriverManager.getConnection(toUrl)) {
      target.setAutoCommit(false);
      for (String table : TABLES) {
        try (Statement read = source.createStatement();
            ResultSet rows = read.executeQuery("SELECT row_to_json(t)::text FROM " + table + " t");
            PreparedStatement write =
                target.prepareStatement(
                    "INSERT INTO "
                        + table
                        + " SELECT * FROM json_populate_record(NULL::"
                        + table
                        + ", ?::json)")) {
          int pending = 0;
          while (rows.next()) {
            write.setString(1, rows.getString(1));
            write.addBatch();
            if (++pending == BATCH) {
              write.executeBatch();
              pending = 0;
            }
          }
          write.executeBatch();
        }
      }
      target.commit();
    }
  }
}
