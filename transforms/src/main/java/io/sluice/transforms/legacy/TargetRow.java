package io.sluice.transforms.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row for a {@link TargetTable}: its values as canonical text in the table's column order (keys
 * first), {@code null} for SQL NULL.
 */
public record TargetRow(String table, List<@Nullable String> values) {
  public TargetRow {
    TargetTable target = TargetTables.named(table);
    if (values.size() != target.columns().size()) {
      throw new IllegalArgumentException(
          table + " takes " + target.columns().size() + " values, got " + values.size());
    }
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }

  /** The key values, which identify the row in its table. */
  public List<@Nullable String> key() {
    return values.subList(0, TargetTables.named(table).keys().size());
  }
}
