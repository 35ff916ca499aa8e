package io.sluice.pipelines.backfill;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Changes a legacy SQLite file the way the old tool would have, between backfills. */
final class TestSqlite {
  private TestSqlite() {}

  static void execute(Path file, String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
