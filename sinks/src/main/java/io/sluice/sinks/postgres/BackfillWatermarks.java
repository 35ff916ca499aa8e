package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How far each legacy source has been moved and proven ({@code workflow.backfill_watermarks}): the
 * fingerprint of its file when it last matched its target, and its cursor then. A scheduled
 * backfill skips a source whose fingerprint is unchanged and reads a changed one from its cursor.
 */
public final class BackfillWatermarks {
  /** One source's watermark. */
  public record Watermark(
      String source,
      String fingerprint,
      @Nullable String cursorValue,
      long sourceRows,
      String runId) {}

  private final DatabaseConfig database;

  public BackfillWatermarks(DatabaseConfig database) {
    this.database = database;
  }

  public Map<String, Watermark> all() throws SQLException {
    Map<String, Watermark> watermarks = new HashMap<>();
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                """
            SELECT source, fingerprint, cursor_value, source_rows, run_id
            FROM workflow.backfill_watermarks""");
        ResultSet result = query.executeQuery()) {
      while (result.next()) {
        watermarks.put(
            result.getString(1),
            new Watermark(
                result.getString(1),
                result.getString(2),
                result.getString(3),
                result.getLong(4),
                result.getString(5)));
      }
    }
    return watermarks;
  }

  /** Records these watermarks, all in one transaction. */
  public void save(List<Watermark> watermarks) throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement upsert =
          connection.prepareStatement(
              """
          INSERT INTO workflow.backfill_watermarks
              (source, fingerprint, cursor_value, source_rows, run_id)
          VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (source) DO UPDATE SET
              fingerprint = EXCLUDED.fingerprint, cursor_value = EXCLUDED.cursor_value,
              source_rows = EXCLUDED.source_rows, run_id = EXCLUDED.run_id,
              updated_at = now()""")) {
        for (Watermark watermark : watermarks) {
          upsert.setString(1, watermark.source());
          upsert.setString(2, watermark.fingerprint());
          upsert.setString(3, watermark.cursorValue());
          upsert.setLong(4, watermark.sourceRows());
          upsert.setString(5, watermark.runId());
          upsert.addBatch();
        }
        upsert.executeBatch();
      }
      connection.commit();
    }
  }
}
