package io.sluice.sinks.postgres;

import io.sluice.sinks.core.BatchWriter;
import io.sluice.sinks.core.StoreWrite;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.retry.RetryPolicy;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes records to PostgreSQL idempotently through the {@link StoreWrite} core: up to {@code
 * batchDocuments} records or {@code batchSize} rows per transaction, transient errors retried under
 * the run's {@link RetryPolicy}, a failed batch written again record by record so that one bad
 * record is one failure ({@link TransactionalBatchWriter}). Records written come out on the main
 * output; what still cannot be written comes out as a {@link Failure}, classified by {@link
 * PostgresErrors}; nothing is dropped.
 *
 * <p>Built by {@link PostgresIO}: {@code
 * PostgresIO.writeDocuments().withDatabase(db).withRun(run)}.
 */
public final class PostgresWrite<T>
    extends PTransform<PCollection<T>, WithFailures.Result<PCollection<T>, Failure>> {

  /** The statements that write one kind of record, made on the worker for the run. */
  interface Statements<T> extends Serializable {
    TransactionalBatchWriter.Work<T> forRun(RunContext run);
  }

  private final String kind;
  private final Statements<T> statements;
  private final TransactionalBatchWriter.FailureOf<T> failureOf;
  private final SerializableFunction<T, Long> rows;
  private final DatabaseConfig database;
  private final RunContext run;
  private final RetryPolicy retry;
  private final int batchDocuments;
  private final long batchSize;

  private PostgresWrite(
      String kind,
      Statements<T> statements,
      TransactionalBatchWriter.FailureOf<T> failureOf,
      SerializableFunction<T, Long> rows,
      DatabaseConfig database,
      RunContext run,
      RetryPolicy retry,
      int batchDocuments,
      long batchSize) {
    this.kind = kind;
    this.statements = statements;
    this.failureOf = failureOf;
    this.rows = rows;
    this.database = database;
    this.run = run;
    this.retry = retry;
    this.batchDocuments = batchDocuments;
    this.batchSize = batchSize;
  }

  /**
   * A write of records of one {@code kind} (the metric prefix), {@code rows} of them counting
   * towards the batch size. A record that cannot be written becomes {@code failureOf(record)};
   * without {@code failureOf} (the writer of failures themselves, which have nowhere else to go) it
   * fails the bundle, and the runner retries it, instead of vanishing.
   */
  static <T> PostgresWrite<T> of(
      String kind,
      Statements<T> statements,
      TransactionalBatchWriter.FailureOf<T> failureOf,
      SerializableFunction<T, Long> rows) {
    return new PostgresWrite<>(
        kind, statements, failureOf, rows, null, null, RetryPolicy.DEFAULT, 100, 5_000);
  }

  public PostgresWrite<T> withDatabase(DatabaseConfig newDatabase) {
    if (newDatabase == null) {
      throw new IllegalArgumentException("database must not be null");
    }
    return new PostgresWrite<>(
        kind, statements, failureOf, rows, newDatabase, run, retry, batchDocuments, batchSize);
  }

  public PostgresWrite<T> withRun(RunContext newRun) {
    if (newRun == null) {
      throw new IllegalArgumentException("run must not be null");
    }
    return new PostgresWrite<>(
        kind, statements, failureOf, rows, database, newRun, retry, batchDocuments, batchSize);
  }

  public PostgresWrite<T> withRetry(RetryPolicy newRetry) {
    if (newRetry == null) {
      throw new IllegalArgumentException("retry must not be null");
    }
    return new PostgresWrite<>(
        kind, statements, failureOf, rows, database, run, newRetry, batchDocuments, batchSize);
  }

  /** Records (documents, sightings, failures) per transaction, at most. */
  public PostgresWrite<T> withBatchDocuments(int records) {
    if (records <= 0) {
      throw new IllegalArgumentException("batchDocuments must be positive, got " + records);
    }
    return new PostgresWrite<>(
        kind, statements, failureOf, rows, database, run, retry, records, batchSize);
  }

  /**
   * Rows (a document's chunks) per transaction: a transaction ends once it reaches them, so a
   * document bigger than this is a transaction of its own, never split.
   */
  public PostgresWrite<T> withBatchSize(long rowsPerTransaction) {
    if (rowsPerTransaction <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + rowsPerTransaction);
    }
    return new PostgresWrite<>(
        kind,
        statements,
        failureOf,
        rows,
        database,
        run,
        retry,
        batchDocuments,
        rowsPerTransaction);
  }

  @Override
  public WithFailures.Result<PCollection<T>, Failure> expand(PCollection<T> records) {
    if (database == null || run == null) {
      throw new IllegalStateException("withDatabase(…) and withRun(…) are required");
    }
    return records.apply(
        StoreWrite.of(PostgresWrite.class, kind, new Writers<>(this))
            .withMaxRecords(batchDocuments)
            .withMaxWeight(rows, batchSize));
  }

  /** Opens, on the worker, a writer on the JVM's pool for the database. */
  private static final class Writers<T> implements BatchWriter.Factory<T> {
    private final PostgresWrite<T> spec;

    Writers(PostgresWrite<T> spec) {
      this.spec = spec;
    }

    @Override
    public BatchWriter<T> open() throws Exception {
      RetryingConnection connection =
          new RetryingConnection(
              spec.database,
              spec.retry,
              Metrics.counter(PostgresWrite.class, "transaction_retries"));
      IndexVersions.register(connection, spec.run);
      return new TransactionalBatchWriter<>(
          connection, spec.statements.forRun(spec.run), spec.failureOf, spec.database);
    }
  }
}
