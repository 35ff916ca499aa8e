package io.sluice.sinks.postgres;

import io.sluice.sinks.core.BatchWriter;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's {@link BatchWriter}: a batch is one transaction, so many documents share one commit;
 * when the batch fails for good, its records are written one transaction each, so one bad record is
 * one failure, classified by {@link PostgresErrors}, and the rest land. A record is never
 * half-written: its rows commit together or not at all.
 */
final class TransactionalBatchWriter<T> implements BatchWriter<T> {
  /**
   * Writes records inside the caller's transaction. What it returns runs once the transaction has
   * committed (counting what was written), so a retried transaction counts once.
   */
  interface Work<T> {
    Runnable write(Connection connection, List<T> records) throws SQLException;
  }

  /** The failure a record that cannot be written becomes; null when it has nowhere to go. */
  interface FailureOf<T> extends Serializable {
    Failure of(T record, FailureClass failureClass, String message);
  }

  private final RetryingConnection connection;
  private final Work<T> work;
  private final FailureOf<T> failureOf;
  private final String store;

  TransactionalBatchWriter(
      RetryingConnection connection,
      Work<T> work,
      FailureOf<T> failureOf,
      DatabaseConfig database) {
    this.connection = connection;
    this.work = work;
    this.failureOf = failureOf;
    this.store = database.maskedUrl();
  }

  @Override
  public Map<Integer, Failure> write(List<T> batch) throws SQLException, InterruptedException {
    Map<Integer, Failure> failures = new HashMap<>();
    try {
      connection.inTransaction(c -> work.write(c, batch)).run();
      return failures;
    } catch (SQLException batchFailed) {
      if (batch.size() == 1) {
        failures.put(0, failure(batch.get(0), batchFailed));
        return failures;
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      List<T> one = List.of(batch.get(i));
      try {
        connection.inTransaction(c -> work.write(c, one)).run();
      } catch (SQLException e) {
        failures.put(i, failure(batch.get(i), e));
      }
    }
    return failures;
  }

  private Failure failure(T record, SQLException e) throws SQLException {
    if (failureOf == null) {
      throw new SQLException("cannot record in PostgreSQL (" + store + "): " + record, e);
    }
    return failureOf.of(
        record,
        PostgresErrors.classify(e),
        "cannot store in PostgreSQL: "
            + e.getMessage()
            + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
  }

  @Override
  public void close() {
    connection.close();
  }
}
