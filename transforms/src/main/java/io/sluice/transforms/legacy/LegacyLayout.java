package io.sluice.transforms.legacy;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table of the legacy tool: the file it lives in, the columns it has had, which of them identify
 * a row, how its rows map to the unified schema and, for tables that only grow, the column an
 * incremental run resumes from.
 *
 * @param optional whether the old tool always created the file; a missing optional file is noted, a
 *     missing required one reported
 * @param keyColumns columns that identify a row; a file whose table lacks one is not read
 * @param cursor the column that grows with every new or refreshed row, or {@code null} when a
 *     changed file is read whole
 * @param cursorInclusive whether rows equal to the last cursor value are read again (a timestamp,
 *     where later rows may share the last value) or not (an increasing id)
 */
public record LegacyLayout(
    String file,
    String table,
    boolean optional,
    List<String> keyColumns,
    List<String> columns,
    String cursor,
    boolean cursorInclusive,
    TargetTable target,
    Mapping mapping)
    implements Serializable {

  /** Maps one row; throws when a value has no faithful form in the target. */
  @FunctionalInterface
  public interface Mapping extends Serializable {
    List<TargetRow> map(LegacyRow row) throws UnmappableValueException;
  }

  public LegacyLayout {
    keyColumns = List.copyOf(keyColumns);
    columns = List.copyOf(columns);
    if (!columns.containsAll(keyColumns)) {
      throw new IllegalArgumentException(table + ": key columns must be columns");
    }
  }

  /** The source name every row and failure carries: {@code <file>#<table>}. */
  public String source() {
    return file + "#" + table;
  }

  /** A row's name inside its source, from its key columns: {@code id=42}. */
  public String recordId(LegacyRow row) {
    return keyColumns.stream()
        .map(column -> column + "=" + row.raw(column))
        .collect(Collectors.joining(","));
  }
}
