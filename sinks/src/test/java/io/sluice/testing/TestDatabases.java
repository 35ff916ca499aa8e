package io.sluice.testing;

import io.sluice.samples.EmbeddedPostgresServer;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.SchemaMigrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: one embedded server per test JVM, and a fresh, migrated database on
 * it for every caller, so tests never see each other's rows.
 */
public final class TestDatabases {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer server;

  private TestDatabases() {}

  public static DatabaseConfig fresh() throws SQLException {
    DatabaseConfig database = empty();
    SchemaMigrations.migrate(database);
    return database;
  }

  /** A new database on the server, without sluice's schema. */
  public static synchronized DatabaseConfig empty() throws SQLException {
    if (server == null) {
      try {
        server = EmbeddedPostgresServer.startTemporary();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException ignored) {
                      // The JVM is going; the temporary data directory goes with it.
                    }
                  }));
    }
    return new DatabaseConfig(server.jdbcUrl("sluice_test_" + DATABASES.incrementAndGet()));
  }

  public static long count(DatabaseConfig database, String sql) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  /** The first column of the query's first row as text, times printed in UTC. */
  public static String text(DatabaseConfig database, String sql) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      try (ResultSet result = statement.executeQuery(sql)) {
        return result.next() ? result.getString(1) : null;
      }
    }
  }

  /** Runs each statement in turn on one connection. */
  public static void execute(DatabaseConfig database, String... sql) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }
}
