package io.sluice.pipelines.cli;

import io.sluice.pipelines.ingest.StoreOptions;
import io.sluice.pipelines.ingest.StoreSettings;
import io.sluice.samples.EmbeddedPostgresServer;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.SchemaMigrations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database a command works on, migrated to the newest schema: the one {@code --databaseUrl}
 * names, or an embedded PostgreSQL with its data in {@code <workDir>/postgres}, started here and
 * stopped when the command ends.
 */
final class Store implements AutoCloseable {
  private final DatabaseConfig database;
  private final EmbeddedPostgresServer embedded;

  private Store(DatabaseConfig database, EmbeddedPostgresServer embedded) {
    this.database = database;
    this.embedded = embedded;
  }

  static Store open(StoreOptions options, PrintStream log) throws IOException {
    if (options.getDatabaseUrl() != null) {
      DatabaseConfig database =
          new DatabaseConfig(options.getDatabaseUrl())
              .withLimits(StoreSettings.connectionLimits(options));
      checkReachable(database);
      SchemaMigrations.migrate(database);
      return new Store(database, null);
    }
    Path data = Path.of(options.getWorkDir(), "postgres").toAbsolutePath();
    log.println("sluice: no --databaseUrl; using the embedded PostgreSQL in " + data);
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data);
    try {
      DatabaseConfig database =
          new DatabaseConfig(server.jdbcUrl(), StoreSettings.connectionLimits(options));
      SchemaMigrations.migrate(database);
      return new Store(database, server);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A database that refuses the connection is one clear line, not a migration tool's report. */
  private static void checkReachable(DatabaseConfig database) {
    try (Connection connection = database.connect()) {
      connection.isValid(5);
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "cannot connect to PostgreSQL at "
              + database.maskedUrl()
              + ": "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  DatabaseConfig database() {
    return database;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
