package io.sluice.sinks.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server started from the binaries bundled on the classpath, for the zero-setup
 * default and for tests. With a data directory the database survives between runs (so a second run
 * shows its documents skipped); without one it lives in a temporary directory.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a server keeping its data in {@code dataDirectory} (created when missing). */
  public static EmbeddedPostgresServer start(Path dataDirectory) throws IOException {
    Files.createDirectories(dataDirectory);
    return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(30))
        .start());
  }

  /** Starts a throwaway server. */
  public static EmbeddedPostgresServer startTemporary() throws IOException {
    return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
        .setPGStartupWait(Duration.ofSeconds(30))
        .start());
  }

  public DatabaseConfig database() {
    return new DatabaseConfig(postgres.getJdbcUrl("postgres", "postgres"));
  }

  /** A configuration for another database on this server, created when missing. */
  public DatabaseConfig database(String name) throws java.sql.SQLException {
    try (java.sql.Connection connection = database().connect();
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet exists = statement.executeQuery(
            "SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'")) {
      if (!exists.next()) {
        statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      }
    }
    return new DatabaseConfig(postgres.getJdbcUrl("postgres", name));
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
