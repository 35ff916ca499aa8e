package io.sluice.sinks.postgres;

import io.sluice.sinks.core.Health;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.FlywayException;

/**
 * Whether sluice can work on a PostgreSQL database: reachable, its version, the schema's migrations
 * current or pending, pgvector present or not, the role able to write every schema sluice uses, and
 * room for sluice's connections under {@code max_connections}. Reads only.
 */
public final class PostgresHealth {
  /** The schemas the migrations in sql/ create (PostgresHealthTest keeps the list true). */
  static final List<String> SCHEMAS =
      List.of(
          "enrichment",
          "indexing",
          "ingestion",
          "observability",
          "retrieval",
          "search",
          "workflow");

  private static final String DEPENDENCY = "postgresql";

  // Each privilege on its own: has_table_privilege with a list is true when any one is held. By
  // OID, so that a schema the role may not use does not fail the query. Partitions are written
  // through their table, whose privileges are the ones checked.
  private static final String SCHEMA_RIGHTS =
      """
      SELECT s,
             to_regnamespace(s) IS NOT NULL,
             to_regnamespace(s) IS NOT NULL AND has_schema_privilege(s, 'USAGE'),
             CASE WHEN to_regnamespace(s) IS NULL
                  THEN has_database_privilege(current_database(), 'CREATE')
                  ELSE has_schema_privilege(s, 'CREATE') END,
             (SELECT count(*) FROM pg_class c
                 WHERE c.relnamespace = to_regnamespace(s) AND c.relkind IN ('r', 'p')
                 AND NOT c.relispartition
                 AND NOT (has_table_privilege(c.oid, 'SELECT')
                          AND has_table_privilege(c.oid, 'INSERT')
                          AND has_table_privilege(c.oid, 'UPDATE')
                          AND has_table_privilege(c.oid, 'DELETE')))
      FROM unnest(?::text[]) AS s
      """;

  private static final String CONNECTIONS =
      """
      SELECT current_setting('max_connections')::int,
             current_setting('superuser_reserved_connections')::int,
             (SELECT count(*) FROM pg_stat_activity
                 WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()),
             (SELECT count(*) FROM pg_stat_activity
                 WHERE application_name LIKE 'sluice%' AND pid <> pg_backend_pid())
      """;

  private static final String PGVECTOR =
      """
      SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector'),
             (SELECT default_version FROM pg_available_extensions WHERE name = 'vector')
      """;

  private PostgresHealth() {}

  public static Health check(DatabaseConfig database) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("url", database.maskedUrl());
    Connection opened;
    try {
      opened = database.connect();
    } catch (SQLException e) {
      return Health.failing(
          DEPENDENCY, "cannot connect to " + database.maskedUrl() + ": " + firstLine(e), facts);
    }
    try (Connection connection = opened) {
      List<String> findings = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      String version = single(connection, "SHOW server_version");
      facts.put("server_version", version);
      findings.add("PostgreSQL " + version);
      boolean migrationsPending = schema(connection, facts, findings, problems);
      pgvector(connection, facts, findings);
      rights(connection, migrationsPending, facts, findings, problems);
      connections(connection, database.limits().maxConnections(), facts, findings, problems);

      String reason = database.maskedUrl() + ": " + String.join("; ", findings);
      return problems.isEmpty()
          ? Health.ok(DEPENDENCY, reason, facts)
          : Health.failing(DEPENDENCY, String.join("; ", problems) + " (" + reason + ")", facts);
    } catch (SQLException e) {
      return Health.failing(
          DEPENDENCY, database.maskedUrl() + ": a check failed: " + firstLine(e), facts);
    }
  }

  private static String firstLine(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
  }

  /** Whether migrations are pending (or cannot be known: the history is unreadable). */
  private static boolean schema(
      Connection connection, Map<String, Object> facts, List<String> said, List<String> problems) {
    SchemaMigrations.State schema;
    try {
      schema = SchemaMigrations.state(connection);
    } catch (FlywayException e) {
      problems.add(
          "cannot read sluice's schema history (public.flyway_schema_history): " + firstLine(e));
      return true;
    }
    facts.put("schema_version", schema.current());
    facts.put("migrations_pending", schema.pending());
    said.add(
        (schema.current() == null ? "no sluice schema yet" : "schema at " + schema.current())
            + (schema.pending() == 0
                ? ", none pending"
                : ", " + schema.pending() + " migrations pending (the next ingest applies them)"));
    return schema.pending() > 0;
  }

  private static void pgvector(Connection connection, Map<String, Object> facts, List<String> said)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(PGVECTOR)) {
      row.next();
      String installed = row.getString(1);
      String available = row.getString(2);
      facts.put("pgvector_installed", installed);
      facts.put("pgvector_available", available);
      said.add(
          installed != null
              ? "pgvector " + installed
              : available != null
                  ? "pgvector " + available + " available, not installed (the next ingest adds it)"
                  : "no pgvector (sluice searches exactly, without an index)");
    }
  }

  private static void rights(
      Connection connection,
      boolean migrationsPending,
      Map<String, Object> facts,
      List<String> said,
      List<String> problems)
      throws SQLException {
    List<String> refused = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(SCHEMA_RIGHTS)) {
      Array schemas = connection.createArrayOf("text", SCHEMAS.toArray());
      statement.setArray(1, schemas);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String schema = rows.getString(1);
          boolean present = rows.getBoolean(2);
          boolean usable = rows.getBoolean(3);
          boolean canCreate = rows.getBoolean(4);
          long tablesRefused = rows.getLong(5);
          if (present && !usable) {
            refused.add(schema + " (no USAGE)");
          } else if (tablesRefused > 0) {
            refused.add(
                schema + " (" + tablesRefused + (tablesRefused == 1 ? " table" : " tables") + ")");
          } else if (!canCreate && (!present || migrationsPending)) {
            refused.add(schema + (present ? " (no CREATE)" : " (missing, no CREATE on database)"));
          }
        }
      }
    }
    String role = single(connection, "SELECT current_user");
    facts.put("role", role);
    facts.put("schemas_refused", refused);
    if (refused.isEmpty()) {
      said.add("role " + role + " can write all " + SCHEMAS.size() + " schemas");
    } else {
      problems.add("role " + role + " cannot write " + String.join(", ", refused));
    }
  }

  private static void connections(
      Connection connection,
      int sluiceCap,
      Map<String, Object> facts,
      List<String> said,
      List<String> problems)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(CONNECTIONS)) {
      row.next();
      int max = row.getInt(1);
      int reserved = row.getInt(2);
      long inUse = row.getLong(3);
      long bySluice = row.getLong(4);
      long free = max - reserved - inUse;
      facts.put("max_connections", max);
      facts.put("superuser_reserved_connections", reserved);
      facts.put("connections_in_use", inUse);
      facts.put("connections_by_sluice", bySluice);
      facts.put("sluice_connections_per_worker", sluiceCap);
      String line =
          inUse
              + " of "
              + max
              + " connections in use ("
              + bySluice
              + " by sluice), sluice takes up to "
              + sluiceCap
              + " per worker JVM";
      if (free < sluiceCap) {
        problems.add(
            "only "
                + Math.max(free, 0)
                + " connections free, fewer than the "
                + sluiceCap
                + " one sluice worker takes (--maxConnections): "
                + line);
      } else {
        said.add(line);
      }
    }
  }

  private static String single(Connection connection, String query) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(query)) {
      row.next();
      return row.getString(1);
    }
  }
}
