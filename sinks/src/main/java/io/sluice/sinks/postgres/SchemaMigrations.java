package io.sluice.sinks.postgres;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database to the newest schema with Flyway, from the migrations in {@code sql/},
 * through one connection (see {@link OneConnection}).
 */
public final class SchemaMigrations {
  private SchemaMigrations() {}

  public static MigrateResult migrate(DatabaseConfig database) {
    // The URL alone, as before: a migration of a big table may take longer than the socket
    // timeout the pipeline's connections have.
    try (OneConnection connection =
        new OneConnection(DriverManager.getConnection(database.jdbcUrl()))) {
      return Flyway.configure()
          .dataSource(connection)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot migrate the schema of " + database.maskedUrl() + ": " + e.getMessage(), e);
    }
  }
}
