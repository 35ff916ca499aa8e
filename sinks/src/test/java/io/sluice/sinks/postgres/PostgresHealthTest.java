package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import io.sluice.sinks.core.Health;
import io.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/** {@link PostgresHealth} on the embedded PostgreSQL: its verdicts and what they rest on. */
public class PostgresHealthTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** The same database, reached as another role. */
  private static DatabaseConfig as(DatabaseConfig database, String role, String password) {
    return new DatabaseConfig(
        database.jdbcUrl().replaceFirst("user=[^&]*", "user=" + role + "&password=" + password));
  }

  @Test
  public void aMigratedDatabaseIsHealthyWithNothingPending() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();

    Health health;
    try (Connection held = database.connect()) {
      health = PostgresHealth.check(database);
    }

    assertThat(health.reason(), health.ok(), equalTo(true));
    assertThat(health.facts().get("migrations_pending"), equalTo(0));
    assertThat(health.reason(), containsString("none pending"));
    assertThat(health.reason(), containsString("can write all 7 schemas"));
    assertThat(
        "the held connection counts, as sluice's",
        (Long) health.facts().get("connections_by_sluice"),
        greaterThan(0L));
  }

  /** The schemas the rights are checked on are the ones the migrations make, no more, no fewer. */
  @Test
  public void theSchemasCheckedAreTheSchemasTheMigrationsCreate() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    List<String> schemas = new ArrayList<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT nspname FROM pg_namespace"
                    + " WHERE nspname NOT IN ('public', 'information_schema')"
                    + " AND nspname NOT LIKE 'pg\\_%' ORDER BY 1")) {
      while (rows.next()) {
        schemas.add(rows.getString(1));
      }
    }
    assertThat(schemas, equalTo(PostgresHealth.SCHEMAS));
  }

  @Test
  public void aDatabaseSluiceHasNotMigratedHasEveryMigrationPending() throws Exception {
    DatabaseConfig migrated = TestDatabases.fresh();
    String name = "health_empty_" + NAMES.incrementAndGet();
    TestDatabases.execute(migrated, "CREATE DATABASE " + name);
    DatabaseConfig empty =
        new DatabaseConfig(migrated.jdbcUrl().replaceFirst("/[^/?]+\\?", "/" + name + "?"));

    Health health = PostgresHealth.check(empty);

    assertThat(health.reason(), health.ok(), equalTo(true));
    assertThat(health.reason(), containsString("no sluice schema yet"));
    assertThat((Integer) health.facts().get("migrations_pending"), greaterThan(7));
  }

  @Test
  public void aRoleThatCanOnlyReadIsFailingWithoutItsPasswordInTheReason() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    String role = "health_reader_" + NAMES.incrementAndGet();
    String databaseName = database.jdbcUrl().replaceFirst("^.*/([^/?]+)\\?.*$", "$1");
    List<String> grants = new ArrayList<>();
    grants.add("CREATE ROLE " + role + " LOGIN PASSWORD 'reader-secret'");
    grants.add("GRANT CONNECT ON DATABASE " + databaseName + " TO " + role);
    grants.add("GRANT SELECT ON public.flyway_schema_history TO " + role);
    for (String schema : PostgresHealth.SCHEMAS) {
      grants.add("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
      grants.add("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
    }
    TestDatabases.execute(database, grants.toArray(String[]::new));
    DatabaseConfig reader = as(database, role, "reader-secret");

    Health health = PostgresHealth.check(reader);

    assertThat(health.reason(), health.ok(), equalTo(false));
    assertThat(health.reason(), containsString("role " + role + " cannot write enrichment ("));
    assertThat(health.reason(), containsString(", workflow ("));
    assertThat(health.toString(), not(containsString("reader-secret")));
  }

  @Test
  public void aRoleThatCannotReadTheSchemaHistoryIsFailing() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    String role = "health_stranger_" + NAMES.incrementAndGet();
    TestDatabases.execute(database, "CREATE ROLE " + role + " LOGIN PASSWORD 'stranger-secret'");
    DatabaseConfig stranger = as(database, role, "stranger-secret");

    Health health = PostgresHealth.check(stranger);

    assertThat(health.reason(), health.ok(), equalTo(false));
    assertThat(health.reason(), containsString("cannot read sluice's schema history"));
    assertThat(health.reason(), containsString("role " + role + " cannot write"));
  }

  @Test
  public void aServerWithFewerFreeConnectionsThanOneWorkerTakesIsFailing() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    DatabaseConfig greedy =
        database.withLimits(
            new ConnectionLimits(
                100_000,
                database.limits().connectTimeout(),
                database.limits().socketTimeout(),
                database.limits().statementTimeout()));

    Health health = PostgresHealth.check(greedy);

    assertThat(health.reason(), health.ok(), equalTo(false));
    assertThat(health.reason(), containsString("fewer than the 100000 one sluice worker takes"));
  }

  @Test
  public void aServerThatIsNotThereIsFailingWithTheReason() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    DatabaseConfig nowhere =
        new DatabaseConfig(
            "jdbc:postgresql://127.0.0.1:" + port + "/sluice?user=sluice&password=nowhere-secret");

    Health health = PostgresHealth.check(nowhere);

    assertThat(health.ok(), equalTo(false));
    assertThat(health.reason(), containsString("cannot connect to jdbc:postgresql://127.0.0.1:"));
    assertThat(health.reason(), containsString("refused"));
    assertThat(health.toString(), not(containsString("nowhere-secret")));
  }
}
