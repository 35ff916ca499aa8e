package io.sluice.sinks.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.sinks.core.SharedClients;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;

/**
 * One HikariCP pool per database and class loader, shared by every DoFn that talks to that database
 * in this JVM: the connections a worker holds are bounded by {@link
 * ConnectionLimits#maxConnections()} whatever the parallelism. DoFns lease the pool at setup and
 * give the lease back at teardown; the last lease closes the pool and, in a class loader of its own
 * (a Flink job's), deregisters the JDBC drivers of that loader, so that {@link DriverManager} does
 * not keep the finished job's classes alive.
 *
 * <p>Pool connections show as {@code sluice} in {@code pg_stat_activity}; the command line's own
 * short connections as {@code sluice-cli}.
 */
final class ConnectionPools {
  private static final SharedClients<DatabaseConfig, HikariDataSource> POOLS =
      new SharedClients<>(ConnectionPools::open, ConnectionPools::close);

  private ConnectionPools() {}

  /** A DoFn's hold on its database's pool. */
  static final class Lease implements AutoCloseable {
    private final SharedClients<DatabaseConfig, HikariDataSource>.Lease pool;

    private Lease(SharedClients<DatabaseConfig, HikariDataSource>.Lease pool) {
      this.pool = pool;
    }

    /** A connection from the pool, in auto-commit off; closing it gives it back. */
    Connection connection() throws SQLException {
      Connection connection = pool.client().getConnection();
      connection.setAutoCommit(false);
      return connection;
    }

    @Override
    public void close() {
      pool.close();
    }
  }

  static Lease lease(DatabaseConfig database) {
    return new Lease(POOLS.lease(database));
  }

  private static void close(HikariDataSource pool) {
    pool.close();
    boolean jobClassLoader =
        ConnectionPools.class.getClassLoader() != ClassLoader.getSystemClassLoader();
    if (POOLS.isEmpty() && jobClassLoader) {
      try {
        deregisterDrivers();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot deregister the JDBC drivers of this job", e);
      }
    }
  }

  /**
   * Every JDBC driver of this class loader: the PostgreSQL driver registered here, and the others
   * of the job jar (SQLite's) that {@link DriverManager} registers from the loader's service files
   * the first time any driver is asked for.
   */
  private static void deregisterDrivers() throws SQLException {
    if (org.postgresql.Driver.isRegistered()) {
      org.postgresql.Driver.deregister();
    }
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == ConnectionPools.class.getClassLoader()) {
        DriverManager.deregisterDriver(driver);
      }
    }
  }

  private static HikariDataSource open(DatabaseConfig database) {
    if (!org.postgresql.Driver.isRegistered()) {
      try {
        org.postgresql.Driver.register();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot register the PostgreSQL driver", e);
      }
    }
    ConnectionLimits limits = database.limits();
    HikariConfig config = new HikariConfig();
    config.setPoolName("sluice " + database.maskedUrl());
    config.setJdbcUrl(database.jdbcUrl());
    config.setDriverClassName(org.postgresql.Driver.class.getName());
    config.setDataSourceProperties(database.driverProperties("sluice"));
    config.setMaximumPoolSize(limits.maxConnections());
    // Connections open when first needed, so an idle DoFn costs the server nothing.
    config.setMinimumIdle(0);
    config.setIdleTimeout(60_000);
    config.setAutoCommit(false);
    // Stated, not learnt: left unset, HikariCP asks the pool's first connection for the server's
    // default, and if that connection is cut during the question it keeps -1 and fails the setup of
    // every connection after it, for the life of the pool (HikariCP issues 887 and 2269).
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Waiting for a free connection: a statement's worth of time, then a transient error.
    config.setConnectionTimeout(
        Math.max(limits.connectTimeout().toMillis(), limits.statementTimeout().toMillis()));
    config.setConnectionInitSql("SET statement_timeout = " + limits.statementTimeout().toMillis());
    // The database may not be up yet; the first borrow, retried, finds out.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
