package io.sluice.sinks.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings the database to the newest schema with Flyway, from the migrations in {@code sql/}. */
public final class SchemaMigrations {
  private SchemaMigrations() {}

  public static MigrateResult migrate(DatabaseConfig database) {
    return Flyway.configure()
        .dataSource(database.jdbcUrl(), null, null)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }
}
