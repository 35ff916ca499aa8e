package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The monthly partitions of the telemetry tables (schema version 10): a writer makes the partition
 * of a row's month before it writes the row, through {@code observability.add_month_partition},
 * which moves that month's rows out of the DEFAULT partition; rows whose month has no partition
 * yet, and rows without a time, are kept by the DEFAULT partition.
 */
public final class MonthlyPartitions {
  public static final String TOKEN_USAGE = "observability.token_usage";
  public static final String REQUEST_FAILURES = "observability.request_failures";

  /**
   * A month partition of a table: its name and the times it holds, from inclusive, to exclusive.
   */
  public record Partition(String name, Instant from, Instant to) {}

  private MonthlyPartitions() {}

  /** The UTC month an instant falls in. */
  public static YearMonth monthOf(Instant at) {
    return YearMonth.from(at.atOffset(ZoneOffset.UTC));
  }

  /** Makes the partition of a month unless it exists, in the caller's transaction. */
  public static void add(Connection connection, String table, YearMonth month) throws SQLException {
    try (PreparedStatement add =
        connection.prepareStatement("SELECT observability.add_month_partition(?::regclass, ?)")) {
      add.setString(1, table);
      add.setTimestamp(2, Timestamp.from(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
      add.execute();
    }
  }

  /**
   * Makes the failure partition for the month a run started in, as its run record says: all its
   * failures go there ({@link DeadLetters}).
   */
  public static void addForRun(DatabaseConfig database, String runId) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement add =
            connection.prepareStatement(
                """
                SELECT observability.add_month_partition(?::regclass, started_at)
                FROM ("""
                    + RunLedger.RUN_STARTED_AT
                    + ") run WHERE started_at IS NOT NULL")) {
      add.setString(1, REQUEST_FAILURES);
      add.setString(2, runId);
      add.execute();
    }
  }

  /**
   * Makes a partition for every month the DEFAULT partition holds rows of (written before their
   * month had one), moving them there.
   */
  public static void settleDefault(Connection connection, String table) throws SQLException {
    String key = keyColumn(connection, table);
    List<YearMonth> months = new ArrayList<>();
    try (Statement query = connection.createStatement();
        ResultSet result =
            query.executeQuery(
                "SELECT DISTINCT to_char("
                    + key
                    + " AT TIME ZONE 'UTC', 'YYYY-MM') FROM "
                    + table
                    + "_default WHERE "
                    + key
                    + " IS NOT NULL")) {
      while (result.next()) {
        months.add(YearMonth.parse(result.getString(1)));
      }
    }
    for (YearMonth month : months) {
      add(connection, table, month);
    }
  }

  /**
   * The table's month partitions, oldest first (the DEFAULT partition is not among them). Their
   * bounds are read back by PostgreSQL itself from the text it prints them as.
   */
  public static List<Partition> list(Connection connection, String table) throws SQLException {
    List<Partition> partitions = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            """
            SELECT name, bounds[1]::timestamptz, bounds[2]::timestamptz
            FROM (SELECT n.nspname || '.' || c.relname AS name,
                         regexp_match(pg_get_expr(c.relpartbound, c.oid),
                                      '^FOR VALUES FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)$')
                             AS bounds
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE i.inhparent = ?::regclass) p
            WHERE bounds IS NOT NULL ORDER BY 2""")) {
      query.setString(1, table);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          partitions.add(
              new Partition(
                  result.getString(1),
                  result.getTimestamp(2).toInstant(),
                  result.getTimestamp(3).toInstant()));
        }
      }
    }
    return partitions;
  }

  /** The column a table is partitioned by. */
  public static String keyColumn(Connection connection, String table) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            """
            SELECT a.attname FROM pg_partitioned_table p
            JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
            WHERE p.partrelid = ?::regclass""")) {
      query.setString(1, table);
      try (ResultSet result = query.executeQuery()) {
        if (!result.next()) {
          throw new SQLException(table + " is not partitioned");
        }
        return result.getString(1);
      }
    }
  }
}
