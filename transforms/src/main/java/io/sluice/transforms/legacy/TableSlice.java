package io.sluice.transforms.legacy;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A part of a legacy table to read: the rows in a range of SQLite rowids, optionally only those at
 * or past a cursor value. Large tables are read in slices so that no runner has to hold a whole
 * table at once (the DirectRunner keeps a transform's whole output in memory).
 *
 * @param cursorFrom read only rows at or past this cursor value; {@code null} for all
 * @param firstRowid the first rowid of the slice
 * @param endRowid the rowid after the slice; {@code null} for the end of the table, so rows
 *     appended after planning are read too
 */
public record TableSlice(@Nullable String cursorFrom, long firstRowid, @Nullable Long endRowid)
    implements Serializable {

  @Override
  public String toString() {
    return "rowid "
        + firstRowid
        + "…"
        + (endRowid == null ? "" : endRowid - 1)
        + (cursorFrom == null ? "" : " from cursor " + cursorFrom);
  }
}
