package io.sluice.samples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server started from the binaries bundled on the classpath, for the zero-setup
 * default and for tests. With a data directory the database survives between runs (so a second run
 * shows its documents skipped); without one it lives in a temporary directory. It answers with JDBC
 * URLs; it lives beside the samples because, like them, only the CLI and the tests need it, never a
 * Flink job.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a server keeping its data in {@code dataDirectory} (created when missing). */
  public static EmbeddedPostgresServer start(Path dataDirectory) throws IOException {
    Files.createDirectories(dataDirectory);
    return new EmbeddedPostgresServer(
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setPGStartupWait(Duration.ofSeconds(30))
            .start());
  }

  /** Starts a throwaway server. */
  public static EmbeddedPostgresServer startTemporary() throws IOException {
    return new EmbeddedPostgresServer(
        EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(30)).start());
  }

  /** The JDBC URL of the server's {@code postgres} database. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /** The JDBC URL of another database on this server, created when missing. */
  public String jdbcUrl(String name) throws java.sql.SQLException {
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl());
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet exists =
            statement.executeQuery(
                "SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'")) {
      if (!exists.next()) {
        statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      }
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
