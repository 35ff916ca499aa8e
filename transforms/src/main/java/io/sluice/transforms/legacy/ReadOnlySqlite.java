package io.sluice.transforms.legacy;

import javax.sql.DataSource;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens a legacy SQLite file read-only: the backfill never changes what it copies from. Given to
 * {@code JdbcIO} as its data source, so each worker opens the file itself.
 */
public final class ReadOnlySqlite implements SerializableFunction<Void, DataSource> {
  private final String path;

  public ReadOnlySqlite(String path) {
    this.path = path;
  }

  public static DataSource open(String path) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + path);
    return source;
  }

  @Override
  public DataSource apply(Void unused) {
    return open(path);
  }
}
