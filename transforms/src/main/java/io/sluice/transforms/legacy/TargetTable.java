package io.sluice.transforms.legacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of the unified schema that backfilled rows land in: its key columns, then the columns a
 * backfilled row sets. A {@link TargetRow} holds its values in exactly this order. Every target
 * table also has a {@code source} column naming the legacy store a row came from.
 */
public record TargetTable(String name, List<Column> keys, List<Column> values)
    implements Serializable {

  /** A column and its type. */
  public record Column(String name, ColumnType type) implements Serializable {}

  public TargetTable {
    keys = List.copyOf(keys);
    values = List.copyOf(values);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(name + " needs a key");
    }
  }

  /** Keys first, then values: the order of a {@link TargetRow}'s values. */
  public List<Column> columns() {
    List<Column> all = new ArrayList<>(keys);
    all.addAll(values);
    return all;
  }

  static Column text(String name) {
    return new Column(name, ColumnType.TEXT);
  }

  static Column of(String name, ColumnType type) {
    return new Column(name, type);
  }
}
