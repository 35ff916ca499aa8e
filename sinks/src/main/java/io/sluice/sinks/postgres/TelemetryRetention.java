package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes telemetry older than a horizon from the monthly-partitioned tables (schema version 10):
 * the failures of sluice's runs and the token usage of its requests, and, from a table named, its
 * backfilled legacy rows too, whose horizon is then recorded so that no backfill brings them back
 * ({@link RetentionHorizons}). A month partition wholly before the horizon whose every row may go
 * is dropped; the other rows before the horizon are deleted. Nothing else is touched: documents,
 * chunks, vectors and the ledger are in other tables. Each table is one transaction; a dry run
 * counts the same rows and changes nothing.
 *
 * <pre>{@code
 * List<Removal> removed = TelemetryRetention.apply(database, horizon, Set.of(), false, "sluice retention");
 * }</pre>
 */
public final class TelemetryRetention {
  /**
   * What retention removes, or would remove, from one table before the horizon in force: whole
   * partitions with their rows, and rows deleted from the others.
   */
  public record Removal(
      String table,
      boolean legacyRowsIncluded,
      Instant horizon,
      List<String> droppedPartitions,
      long droppedRows,
      long deletedRows) {
    public long rows() {
      return droppedRows + deletedRows;
    }
  }

  /**
   * The telemetry tables, each with the rows of sluice's own runs: every failure is a run's; a
   * token usage row is a run's when it has a run id (a backfilled one has none).
   */
  private static final Map<String, String> OWN_ROWS =
      Map.of(
          MonthlyPartitions.TOKEN_USAGE, "run_id IS NOT NULL",
          MonthlyPartitions.REQUEST_FAILURES, "true");

  /** The telemetry tables, in the order retention goes through them. */
  public static final List<String> TABLES =
      List.of(MonthlyPartitions.TOKEN_USAGE, MonthlyPartitions.REQUEST_FAILURES);

  /** The tables with backfilled rows, whose horizon the backfill honours. */
  public static final Set<String> BACKFILLED = Set.of(MonthlyPartitions.TOKEN_USAGE);

  private TelemetryRetention() {}

  /**
   * Applies retention to every telemetry table; the {@code named} ones lose their backfilled rows
   * before the horizon too. {@code setBy} is recorded with a horizon it moves.
   */
  public static List<Removal> apply(
      DatabaseConfig database, Instant horizon, Set<String> named, boolean dryRun, String setBy)
      throws SQLException {
    for (String table : named) {
      if (!OWN_ROWS.containsKey(table)) {
        throw new IllegalArgumentException(
            "--tables: no telemetry table "
                + table
                + "; retention knows "
                + String.join(", ", TABLES));
      }
    }
    List<Removal> removals = new ArrayList<>();
    for (String table : TABLES) {
      try (Connection connection = database.connect()) {
        connection.setAutoCommit(false);
        try {
          removals.add(table(connection, table, horizon, named.contains(table), dryRun, setBy));
          if (dryRun) {
            connection.rollback();
          } else {
            connection.commit();
          }
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      }
    }
    return removals;
  }

  private static Removal table(
      Connection connection,
      String table,
      Instant requested,
      boolean named,
      boolean dryRun,
      String setBy)
      throws SQLException {
    try (Statement settings = connection.createStatement()) {
      // A month's delete may take longer than a pipeline's statement; a writer holding the table
      // for a minute makes retention fail rather than queue every writer behind it.
      settings.execute("SET LOCAL statement_timeout = 0");
      settings.execute("SET LOCAL lock_timeout = '60s'");
    }
    boolean legacyRows = named && BACKFILLED.contains(table);
    Instant horizon = requested;
    if (legacyRows && !dryRun) {
      horizon = RetentionHorizons.advance(connection, table, requested, setBy);
    }
    if (!dryRun) {
      MonthlyPartitions.settleDefault(connection, table);
    }
    String scope = named ? "true" : OWN_ROWS.get(table);
    String key = MonthlyPartitions.keyColumn(connection, table);
    List<String> dropped = new ArrayList<>();
    long droppedRows = 0;
    for (MonthlyPartitions.Partition partition : MonthlyPartitions.list(connection, table)) {
      if (partition.to().isAfter(horizon)) {
        continue;
      }
      long rows = count(connection, partition.name(), "true", null);
      if (rows > 0 && count(connection, partition.name(), "NOT (" + scope + ")", null) > 0) {
        // Rows retention is not to touch: only the others are deleted, below.
        continue;
      }
      if (!dryRun) {
        try (Statement drop = connection.createStatement()) {
          drop.execute("DROP TABLE " + partition.name());
        }
      }
      dropped.add(partition.name());
      droppedRows += rows;
    }
    String before = key + " < ? AND " + scope;
    long deleted;
    if (dryRun) {
      deleted = count(connection, table, before, horizon) - droppedRows;
    } else {
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM " + table + " WHERE " + before)) {
        delete.setTimestamp(1, Timestamp.from(horizon));
        deleted = delete.executeUpdate();
      }
    }
    return new Removal(table, legacyRows, horizon, dropped, droppedRows, deleted);
  }

  private static long count(Connection connection, String table, String where, Instant horizon)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + where)) {
      if (horizon != null) {
        query.setTimestamp(1, Timestamp.from(horizon));
      }
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }
}
