package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import io.sluice.testing.TestDatabases;
import io.sluice.transforms.retry.RetryPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.metrics.Metrics;
import org.junit.Test;

public class RetryingConnectionTest {
  @Test
  public void aKilledConnectionIsReplacedAndTheTransactionRetried() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    try (RetryingConnection connection =
        new RetryingConnection(
            database, RetryPolicy.DEFAULT.withMaxRetries(3), Metrics.counter("test", "retries"))) {
      int firstBackend = connection.inTransaction(RetryingConnectionTest::backendPid);
      // What a PostgreSQL restart or an operator's pg_terminate_backend does to a live session.
      TestDatabases.execute(database, "SELECT pg_terminate_backend(" + firstBackend + ")");
      AtomicInteger attempts = new AtomicInteger();
      int secondBackend =
          connection.inTransaction(
              c -> {
                attempts.incrementAndGet();
                return backendPid(c);
              });
      assertThat(attempts.get(), equalTo(2));
      assertThat(secondBackend == firstBackend, equalTo(false));
    }
  }

  @Test
  public void aPermanentErrorIsNotRetried() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    try (RetryingConnection connection =
        new RetryingConnection(
            database, RetryPolicy.DEFAULT.withMaxRetries(3), Metrics.counter("test", "retries"))) {
      AtomicInteger attempts = new AtomicInteger();
      SQLException error =
          assertThrows(
              SQLException.class,
              () ->
                  connection.inTransaction(
                      c -> {
                        attempts.incrementAndGet();
                        try (Statement statement = c.createStatement()) {
                          statement.execute("SELECT * FROM no_such_table");
                        }
                        return null;
                      }));
      assertThat(error.getSQLState(), equalTo("42P01"));
      assertThat(attempts.get(), equalTo(1));
    }
  }

  private static int backendPid(java.sql.Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
      result.next();
      return result.getInt(1);
    }
  }
}
