package io.sluice.transforms.legacy;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A legacy table as found in one file: which of its layout's columns this version of the table has,
 * which it lacks and which it has beyond them, its row count and its highest cursor value. Found by
 * {@link #inspect}; {@link #problem()} says why a table cannot be read at all, and {@link
 * #damaged()} whether that is because the file itself cannot be read (not a database, damaged),
 * rather than an older version of it lacking the table.
 */
public record LegacyTable(
    LegacyLayout layout,
    String path,
    @Nullable String problem,
    boolean damaged,
    List<String> presentColumns,
    List<String> missingColumns,
    List<String> extraColumns,
    long rows,
    @Nullable String cursorMax)
    implements Serializable {

  /** Looks the layout's table up in the file; never throws for a bad file, it says so instead. */
  public static LegacyTable inspect(LegacyLayout layout, String path) {
    try (Connection connection = ReadOnlySqlite.open(path).getConnection();
        Statement statement = connection.createStatement()) {
      Set<String> actual = new LinkedHashSet<>();
      try (ResultSet columns =
          statement.executeQuery("SELECT name FROM pragma_table_info('" + layout.table() + "')")) {
        while (columns.next()) {
          actual.add(columns.getString(1));
        }
      }
      if (actual.isEmpty()) {
        return failed(layout, path, "no table " + layout.table(), false);
      }
      List<String> present = layout.columns().stream().filter(actual::contains).toList();
      List<String> missing = layout.columns().stream().filter(c -> !actual.contains(c)).toList();
      List<String> extra = actual.stream().filter(c -> !layout.columns().contains(c)).toList();
      List<String> missingKeys = layout.keyColumns().stream().filter(missing::contains).toList();
      if (!missingKeys.isEmpty()) {
        return failed(
            layout,
            path,
            "table " + layout.table() + " has no key column " + String.join(", ", missingKeys),
            false);
      }
      String cursor =
          layout.cursor() != null && present.contains(layout.cursor()) ? layout.cursor() : null;
      try (ResultSet counts =
          statement.executeQuery(
              "SELECT count(*)"
                  + (cursor == null ? ", NULL" : ", max(" + quote(cursor) + ")")
                  + " FROM "
                  + quote(layout.table()))) {
        counts.next();
        return new LegacyTable(
            layout,
            path,
            null,
            false,
            present,
            missing,
            extra,
            counts.getLong(1),
            counts.getString(2));
      }
    } catch (SQLException e) {
      return failed(layout, path, "cannot read " + layout.file() + ": " + e.getMessage(), true);
    }
  }

  /** A layout's table that cannot be read, and why. */
  private static LegacyTable failed(
      LegacyLayout layout, String path, String problem, boolean damaged) {
    return new LegacyTable(
        layout, path, problem, damaged, List.of(), List.of(), List.of(), 0, null);
  }

  public boolean readable() {
    return problem == null;
  }

  /** Whether reads can resume from a cursor: the layout has one and so does the file. */
  public boolean hasCursor() {
    return layout.cursor() != null && presentColumns.contains(layout.cursor());
  }

  /** The query reading the whole table: its present columns, every row. */
  public String selectSql() {
    // No space after FROM: Beam 2.70's JdbcIO prints the schema of every query its lineage
    // pattern ("FROM" + whitespace + table) matches to standard output, where sluice prints
    // its reports.
    return "SELECT "
        + presentColumns.stream().map(LegacyTable::quote).collect(Collectors.joining(", "))
        + " FROM"
        + quote(layout.table());
  }

  /**
   * The query reading one slice, its parameters bound by {@link #bind}. Rows without a cursor value
   * are read whenever the cursor is used: they cannot be placed before or after it.
   */
  public String selectSql(TableSlice slice) {
    return selectSql()
        + " WHERE "
        + condition(slice.cursorFrom())
        + " AND rowid >= ?"
        + (slice.endRowid() == null ? "" : " AND rowid < ?");
  }

  public void bind(PreparedStatement statement, TableSlice slice) throws SQLException {
    int next = 1;
    if (slice.cursorFrom() != null) {
      statement.setString(next++, slice.cursorFrom());
    }
    statement.setLong(next++, slice.firstRowid());
    if (slice.endRowid() != null) {
      statement.setLong(next, slice.endRowid());
    }
  }

  /**
   * Cuts the rows at or past {@code cursorFrom} (all rows when {@code null}) into slices of at most
   * {@code rows} rows by rowid; none when there are no such rows.
   */
  public List<TableSlice> slices(@Nullable String cursorFrom, int rows) throws SQLException {
    if (cursorFrom != null && !hasCursor()) {
      throw new IllegalArgumentException(layout.source() + " has no cursor column");
    }
    List<Long> starts = new ArrayList<>();
    try (Connection connection = ReadOnlySqlite.open(path).getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT rowid FROM (SELECT rowid,"
                    + " row_number() OVER (ORDER BY rowid) AS n FROM"
                    + quote(layout.table())
                    + " WHERE "
                    + condition(cursorFrom)
                    + ") WHERE n % ? = 1 ORDER BY rowid")) {
      int next = 1;
      if (cursorFrom != null) {
        query.setString(next++, cursorFrom);
      }
      query.setInt(next, rows);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          starts.add(result.getLong(1));
        }
      }
    }
    List<TableSlice> slices = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      slices.add(
          new TableSlice(
              cursorFrom, starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : null));
    }
    return slices;
  }

  private String condition(@Nullable String cursorFrom) {
    if (cursorFrom == null) {
      return "TRUE";
    }
    String cursor = quote(layout.cursor());
    return "("
        + cursor
        + (layout.cursorInclusive() ? " >= ?" : " > ?")
        + " OR "
        + cursor
        + " IS NULL)";
  }

  /** A row as the query returned it, with the layout's conversions by column name. */
  public LegacyRow row(List<String> values) {
    return new LegacyRow(layout.source(), presentColumns, values);
  }

  /** Maps a row the query returned into its record. */
  public LegacyRecord map(List<String> values) throws UnmappableValueException {
    LegacyRow row = row(values);
    return new LegacyRecord(
        layout.source(), layout.source(), layout.recordId(row), layout.mapping().map(row));
  }

  /** Reads a result row's present columns as text. */
  public List<String> values(ResultSet result) throws SQLException {
    List<String> values = new ArrayList<>(presentColumns.size());
    for (int i = 1; i <= presentColumns.size(); i++) {
      values.add(result.getString(i));
    }
    return values;
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
