package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;

/**
 * One connection, opened when first needed, and a way to run a unit of work in a transaction on
 * it: transient failures roll back, reconnect and retry with exponential backoff, other failures
 * roll back and surface at once.
 */
final class RetryingConnection implements AutoCloseable {
  /** Work done inside one transaction; it may run more than once, so it must be idempotent. */
  interface Transaction<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DatabaseConfig database;
  private final FluentBackoff backoff;
  private final Counter retries;
  private Connection connection;

  RetryingConnection(DatabaseConfig database, int maxRetries, Counter retries) {
    this.database = database;
    this.backoff = FluentBackoff.DEFAULT
        .withMaxRetries(maxRetries)
        .withInitialBackoff(Duration.millis(200))
        .withMaxBackoff(Duration.standardSeconds(10));
    this.retries = retries;
  }

  <T> T inTransaction(Transaction<T> work) throws SQLException, InterruptedException {
    BackOff attempts = backoff.backoff();
    while (true) {
      try {
        Connection current = connection();
        T result = work.run(current);
        current.commit();
        return result;
      } catch (SQLException e) {
        rollbackQuietly();
        if (!TransientSqlErrors.isTransient(e) || !waitBeforeRetry(attempts)) {
          throw e;
        }
        retries.inc();
        closeQuietly();
      }
    }
  }

  private static boolean waitBeforeRetry(BackOff attempts) throws InterruptedException {
    return BackOffUtils.next(Sleeper.DEFAULT, attempts);
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = database.connect();
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private void rollbackQuietly() {
    try {
      if (connection != null && !connection.isClosed()) {
        connection.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is replaced before the next attempt anyway.
    }
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // Closing a broken connection can fail; it is dropped either way.
    } finally {
      connection = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
