package io.sluice.sinks.postgres;

import java.util.Arrays;
import java.util.Locale;

/** Whether sluice uses the database's pgvector extension ({@code --pgvector}). */
public enum PgvectorMode {
  /** Use pgvector when the database offers it, creating the extension if it may; else exact. */
  AUTO,
  /** Refuse to go on without pgvector. */
  REQUIRE,
  /** Leave pgvector alone: no extension, no index, exact search. */
  OFF;

  public static PgvectorMode named(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--pgvector must be one of "
              + Arrays.stream(values()).map(mode -> mode.name().toLowerCase(Locale.ROOT)).toList()
              + ", got '"
              + name
              + "'");
    }
  }
}
