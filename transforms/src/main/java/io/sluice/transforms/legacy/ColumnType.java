package io.sluice.transforms.legacy;

/**
 * The PostgreSQL type of a backfill target column. Values travel as canonical text and are cast by
 * the database, so what the sink writes and what parity compares are typed the same way.
 */
public enum ColumnType {
  TEXT("text"),
  BIGINT("bigint"),
  TIMESTAMPTZ("timestamptz"),
  JSONB("jsonb");

  private final String sql;

  ColumnType(String sql) {
    this.sql = sql;
  }

  public String sql() {
    return sql;
  }
}
