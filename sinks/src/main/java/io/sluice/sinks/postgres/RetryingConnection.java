package io.sluice.sinks.postgres;

import io.sluice.transforms.retry.RetryPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.beam.sdk.metrics.Counter;

/**
 * A way to run a unit of work in a transaction on a connection borrowed from the JVM's pool for the
 * database ({@link ConnectionPools}) and given back after it: transient failures (as {@link
 * PostgresErrors} classifies them) roll back and retry on a fresh connection under the run's {@link
 * RetryPolicy}; other failures roll back and surface at once.
 */
public final class RetryingConnection implements AutoCloseable {
  /** Work done inside one transaction; it may run more than once, so it must be idempotent. */
  public interface Transaction<T> {
    T run(Connection connection) throws SQLException;
  }

  private final ConnectionPools.Lease pool;
  private final RetryPolicy retry;
  private final Counter retries;
  private final String what;

  public RetryingConnection(DatabaseConfig database, RetryPolicy retry, Counter retries) {
    this.pool = ConnectionPools.lease(database);
    this.retry = retry;
    this.retries = retries;
    this.what = "PostgreSQL transaction on " + database.maskedUrl();
  }

  public <T> T inTransaction(Transaction<T> work) throws SQLException, InterruptedException {
    return retry.call(
        what,
        () -> {
          try (Connection connection = pool.connection()) {
            try {
              T result = work.run(connection);
              connection.commit();
              return result;
            } catch (SQLException | RuntimeException e) {
              rollbackQuietly(connection);
              throw e;
            }
          }
        },
        SQLException.class,
        PostgresErrors::isTransient,
        retries);
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // A broken connection cannot roll back; the pool drops it, and the server has already.
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
