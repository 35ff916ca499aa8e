package io.sluice.sinks.postgres;

import io.sluice.transforms.legacy.TargetRow;
import io.sluice.transforms.legacy.TargetTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The retention horizon of each backfilled table ({@code observability.retention_horizons}, schema
 * version 10): rows older than it were removed by {@code sluice retention}, and the backfill does
 * not bring them back. Recorded in the database, so no scheduled backfill can undo a retention; it
 * only moves forward.
 */
public final class RetentionHorizons {
  private RetentionHorizons() {}

  /**
   * The horizons set so far, by table, held (FOR SHARE) until the caller's transaction ends: a
   * retention that moves one meanwhile waits for it, then removes what it wrote.
   */
  public static Map<String, Instant> hold(Connection connection) throws SQLException {
    Map<String, Instant> horizons = new HashMap<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                """
                SELECT table_name, horizon FROM observability.retention_horizons
                WHERE horizon > '-infinity' FOR SHARE""");
        ResultSet result = query.executeQuery()) {
      while (result.next()) {
        horizons.put(result.getString(1), result.getTimestamp(2).toInstant());
      }
    }
    return horizons;
  }

  /**
   * Moves a table's horizon to {@code horizon}, unless it is already later; returns the horizon now
   * in force, and records {@code by} (the command that set it) with it. The row stays locked until
   * the caller's transaction ends.
   */
  public static Instant advance(Connection connection, String table, Instant horizon, String by)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            """
            INSERT INTO observability.retention_horizons AS h (table_name, horizon, set_at, set_by)
            VALUES (?, ?, now(), ?)
            ON CONFLICT (table_name) DO UPDATE SET
                horizon = greatest(h.horizon, EXCLUDED.horizon),
                set_at = CASE WHEN EXCLUDED.horizon > h.horizon THEN now() ELSE h.set_at END,
                set_by = CASE WHEN EXCLUDED.horizon > h.horizon THEN EXCLUDED.set_by
                              ELSE h.set_by END
            RETURNING horizon""")) {
      update.setString(1, table);
      update.setTimestamp(2, Timestamp.from(horizon));
      update.setString(3, by);
      try (ResultSet result = update.executeQuery()) {
        result.next();
        return result.getTimestamp(1).toInstant();
      }
    }
  }

  /** Whether a backfilled row is older than its table's horizon (null: the table has none). */
  public static boolean behind(TargetTable table, TargetRow row, @Nullable Instant horizon) {
    if (horizon == null || table.timeColumn() == null) {
      return false;
    }
    String time = row.values().get(table.timeIndex());
    // Mapped times are ISO-8601 UTC text (LegacyValues.time); a row without one is kept.
    return time != null && Instant.parse(time).isBefore(horizon);
  }
}
