package io.sluice.sinks.postgres;

import io.sluice.transforms.legacy.TargetRow;
import io.sluice.transforms.legacy.TargetTable;
import io.sluice.transforms.legacy.TargetTable.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that puts backfilled rows into a table: one statement per table and batch, every column
 * sent as a text array and cast by the database, so a batch of thousands of rows is one round trip
 * and the sink and the parity check type values identically.
 */
final class LegacySql {
  private LegacySql() {}

  /**
   * An idempotent upsert that rewrites a row only when a value differs; it returns the {@code
   * source} of each row it inserted or changed, so unchanged rows can be counted.
   */
  static String upsert(TargetTable table) {
    String assignments =
        table.values().stream()
            .map(column -> column.name() + " = EXCLUDED." + column.name())
            .collect(Collectors.joining(", ", "", table.values().isEmpty() ? "" : ", "));
    String current =
        table.values().stream()
            .map(column -> "t." + column.name())
            .collect(Collectors.joining(", ", "", table.values().isEmpty() ? "" : ", "));
    String incoming =
        table.values().stream()
            .map(column -> "EXCLUDED." + column.name())
            .collect(Collectors.joining(", ", "", table.values().isEmpty() ? "" : ", "));
    return insert(table.name() + " AS t", table)
        + " ON CONFLICT ("
        + names(table.identity())
        + ") DO UPDATE SET "
        + assignments
        + "source = EXCLUDED.source, updated_at = now()"
        + " WHERE ROW("
        + current
        + "t.source) IS DISTINCT FROM ROW("
        + incoming
        + "EXCLUDED.source) RETURNING t.source";
  }

  /** Inserts rows, with their source, into {@code into}: the table itself or a copy of it. */
  static String insert(String into, TargetTable table) {
    List<Column> columns = table.columns();
    String casts =
        columns.stream()
            .map(column -> "u." + column.name() + "::" + column.type().sql())
            .collect(Collectors.joining(", "));
    String parameters =
        columns.stream().map(column -> "?::text[]").collect(Collectors.joining(", "));
    return "INSERT INTO "
        + into
        + " ("
        + names(columns)
        + ", source) SELECT "
        + casts
        + ", u.source FROM unnest("
        + parameters
        + ", ?::text[]) AS u("
        + names(columns)
        + ", source)";
  }

  /** Binds rows column by column, then their sources, to a statement from this class. */
  static void bind(
      PreparedStatement statement,
      Connection connection,
      TargetTable table,
      List<TargetRow> rows,
      List<String> sources)
      throws SQLException {
    int columns = table.columns().size();
    for (int c = 0; c < columns; c++) {
      String[] values = new String[rows.size()];
      for (int r = 0; r < rows.size(); r++) {
        values[r] = rows.get(r).values().get(c);
      }
      statement.setArray(c + 1, connection.createArrayOf("text", values));
    }
    statement.setArray(
        columns + 1, connection.createArrayOf("text", sources.toArray(String[]::new)));
  }

  static String names(List<Column> columns) {
    return columns.stream().map(Column::name).collect(Collectors.joining(", "));
  }
}
