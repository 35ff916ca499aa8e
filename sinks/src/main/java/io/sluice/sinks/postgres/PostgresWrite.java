package io.sluice.sinks.postgres;

import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.io.Serializable;
import java.sql.SQLException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes records to PostgreSQL idempotently, one transaction per record, with transient errors
 * retried under exponential backoff. What still cannot be written comes out as a {@link Failure}
 * of stage {@code store}, to be recorded by the failure sink; nothing is dropped.
 *
 * <p>Built by {@link PostgresIO}: {@code PostgresIO.writeDocuments().withDatabase(db).withRun(run)}.
 */
public final class PostgresWrite<T> extends PTransform<PCollection<T>, PCollection<Failure>> {

  /** How one kind of record is written, and how it is named when it cannot be. */
  interface RecordWriter<T> extends Serializable {
    void write(IngestRepository repository, java.sql.Connection connection, T record)
        throws SQLException;

    /** The source URI and doc_id a failure to write this record is filed under. */
    Failure failure(T record, String message);

    String metricName();

    /**
     * False for the writer of failures themselves: a failure that cannot be recorded has nowhere
     * else to go, so it fails the bundle (the runner retries it) instead of vanishing.
     */
    default boolean hasFailureOutput() {
      return true;
    }
  }

  private final RecordWriter<T> writer;
  private final DatabaseConfig database;
  private final RunContext run;
  private final int batchSize;
  private final int maxRetries;

  private PostgresWrite(RecordWriter<T> writer, DatabaseConfig database, RunContext run,
      int batchSize, int maxRetries) {
    this.writer = writer;
    this.database = database;
    this.run = run;
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
  }

  static <T> PostgresWrite<T> of(RecordWriter<T> writer) {
    return new PostgresWrite<>(writer, null, null, 500, 6);
  }

  public PostgresWrite<T> withDatabase(DatabaseConfig newDatabase) {
    if (newDatabase == null) {
      throw new IllegalArgumentException("database must not be null");
    }
    return new PostgresWrite<>(writer, newDatabase, run, batchSize, maxRetries);
  }

  public PostgresWrite<T> withRun(RunContext newRun) {
    if (newRun == null) {
      throw new IllegalArgumentException("run must not be null");
    }
    return new PostgresWrite<>(writer, database, newRun, batchSize, maxRetries);
  }

  /** Rows per JDBC batch (chunks and vectors of one document go in batches of this size). */
  public PostgresWrite<T> withBatchSize(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + rows);
    }
    return new PostgresWrite<>(writer, database, run, rows, maxRetries);
  }

  /** Retries of one record's transaction after transient errors before it is a failure. */
  public PostgresWrite<T> withMaxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + retries);
    }
    return new PostgresWrite<>(writer, database, run, batchSize, retries);
  }

  @Override
  public PCollection<Failure> expand(PCollection<T> records) {
    if (database == null || run == null) {
      throw new IllegalStateException("withDatabase(…) and withRun(…) are required");
    }
    return records.apply("Write", ParDo.of(new WriteFn<>(writer, database, run, batchSize,
        maxRetries)));
  }

  private static final class WriteFn<T> extends DoFn<T, Failure> {
    private final RecordWriter<T> writer;
    private final DatabaseConfig database;
    private final RunContext run;
    private final int batchSize;
    private final int maxRetries;
    private final Counter written;
    private final Counter failed;
    private final Counter retries;
    private transient RetryingConnection connection;
    private transient IngestRepository repository;

    WriteFn(RecordWriter<T> writer, DatabaseConfig database, RunContext run, int batchSize,
        int maxRetries) {
      this.writer = writer;
      this.database = database;
      this.run = run;
      this.batchSize = batchSize;
      this.maxRetries = maxRetries;
      this.written = Metrics.counter(PostgresWrite.class, writer.metricName() + "_written");
      this.failed = Metrics.counter(PostgresWrite.class, writer.metricName() + "_failed");
      this.retries = Metrics.counter(PostgresWrite.class, "transaction_retries");
    }

    @Setup
    public void setup() throws SQLException, InterruptedException {
      connection = new RetryingConnection(database, maxRetries, retries);
      repository = new IngestRepository(run, batchSize);
      connection.inTransaction(c -> {
        repository.registerIndexVersion(c);
        return null;
      });
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<Failure> failures)
        throws InterruptedException {
      try {
        connection.inTransaction(c -> {
          writer.write(repository, c, record);
          return null;
        });
        written.inc();
      } catch (SQLException e) {
        failed.inc();
        if (!writer.hasFailureOutput()) {
          throw new IllegalStateException(
              "cannot record in PostgreSQL (" + database.maskedUrl() + "): " + record, e);
        }
        failures.output(writer.failure(record, "cannot store in PostgreSQL: " + e.getMessage()));
      }
    }

    @Teardown
    public void teardown() {
      if (connection != null) {
        connection.close();
      }
    }
  }

  static Failure storeFailure(String sourceUri, String docId, long size, String message) {
    return new Failure(sourceUri, docId, size, Stage.STORE, FailureClass.IO_ERROR, message);
  }
}
