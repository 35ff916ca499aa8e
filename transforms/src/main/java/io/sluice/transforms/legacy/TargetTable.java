package io.sluice.transforms.legacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A table of the unified schema that backfilled rows land in: its key columns, then the columns a
 * backfilled row sets. A {@link TargetRow} holds its values in exactly this order. Every target
 * table also has a {@code source} column naming the legacy store a row came from.
 *
 * <p>A table partitioned by month has a {@code timeColumn}, one of its values: the database's
 * unique constraint is then the key and that time (the partition key must be part of it), and
 * retention goes by that time.
 */
public record TargetTable(
    String name, List<Column> keys, List<Column> values, @Nullable String timeColumn)
    implements Serializable {

  /** A column and its type. */
  public record Column(String name, ColumnType type) implements Serializable {}

  public TargetTable {
    keys = List.copyOf(keys);
    values = List.copyOf(values);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(name + " needs a key");
    }
    if (timeColumn != null
        && values.stream()
            .noneMatch(v -> v.name().equals(timeColumn) && v.type() == ColumnType.TIMESTAMPTZ)) {
      throw new IllegalArgumentException(
          name + " has no timestamptz value " + timeColumn + " to be partitioned by");
    }
  }

  /** A table that is not partitioned. */
  public TargetTable(String name, List<Column> keys, List<Column> values) {
    this(name, keys, values, null);
  }

  /** The columns of the table's unique constraint: the key, and the time it is partitioned by. */
  public List<Column> identity() {
    List<Column> identity = new ArrayList<>(keys);
    if (timeColumn != null) {
      identity.add(column(timeColumn));
    }
    return identity;
  }

  /** Where a row's time is among its values, or -1 for a table that is not partitioned. */
  public int timeIndex() {
    return timeColumn == null ? -1 : columns().indexOf(column(timeColumn));
  }

  private Column column(String columnName) {
    return values.stream().filter(v -> v.name().equals(columnName)).findFirst().orElseThrow();
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
