package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database to the newest schema with Flyway, from the migrations in {@code sql/},
 * through one connection (see {@link OneConnection}).
 */
public final class SchemaMigrations {
  /** The schema version the database is at (null before the first migration) and what is due. */
  public record State(String current, int pending) {}

  private SchemaMigrations() {}

  public static MigrateResult migrate(DatabaseConfig database) {
    // The URL alone, as before: a migration of a big table may take longer than the socket
    // timeout the pipeline's connections have.
    try (OneConnection connection =
        new OneConnection(DriverManager.getConnection(database.jdbcUrl()))) {
      return flyway(connection).migrate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot migrate the schema of " + database.maskedUrl() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where the schema stands against the migrations in this build, read through the caller's
   * connection (which stays open); changes nothing.
   */
  static State state(Connection connection) {
    MigrationInfoService info = flyway(new OneConnection(connection)).info();
    return new State(
        info.current() == null ? null : "V" + info.current().getVersion(), info.pending().length);
  }

  private static Flyway flyway(DataSource connection) {
    return Flyway.configure().dataSource(connection).locations("classpath:db/migration").load();
  }
}
