package io.sluice.sinks.postgres;

import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import io.sluice.transforms.model.Source;
import java.io.Serializable;
import java.sql.Connection;
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

  /** Writes one record inside the caller's transaction. */
  interface RecordWriter<T> extends Serializable {
    void write(IngestRepository repository, Connection connection, T record) throws SQLException;
  }

  /** The source a record that cannot be written is filed under. */
  interface SourceOf<T> extends Serializable {
    Source of(T record);
  }

  private final String kind;
  private final RecordWriter<T> writer;
  private final SourceOf<T> sourceOf;
  private final DatabaseConfig database;
  private final RunContext run;
  private final int batchSize;
  private final int maxRetries;

  private PostgresWrite(String kind, RecordWriter<T> writer, SourceOf<T> sourceOf,
      DatabaseConfig database, RunContext run, int batchSize, int maxRetries) {
    this.kind = kind;
    this.writer = writer;
    this.sourceOf = sourceOf;
    this.database = database;
    this.run = run;
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
  }

  /**
   * A write of records of one {@code kind} (the metric prefix). A record that cannot be written
   * becomes a store failure of {@code sourceOf(record)}; without {@code sourceOf} (the writer of
   * failures themselves, which have nowhere else to go) it fails the bundle, and the runner
   * retries it, instead of vanishing.
   */
  static <T> PostgresWrite<T> of(String kind, RecordWriter<T> writer, SourceOf<T> sourceOf) {
    return new PostgresWrite<>(kind, writer, sourceOf, null, null, 500, 6);
  }

  public PostgresWrite<T> withDatabase(DatabaseConfig newDatabase) {
    if (newDatabase == null) {
      throw new IllegalArgumentException("database must not be null");
    }
    return new PostgresWrite<>(kind, writer, sourceOf, newDatabase, run, batchSize, maxRetries);
  }

  public PostgresWrite<T> withRun(RunContext newRun) {
    if (newRun == null) {
      throw new IllegalArgumentException("run must not be null");
    }
    return new PostgresWrite<>(kind, writer, sourceOf, database, newRun, batchSize, maxRetries);
  }

  /** Rows per JDBC batch (chunks and vectors of one document go in batches of this size). */
  public PostgresWrite<T> withBatchSize(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + rows);
    }
    return new PostgresWrite<>(kind, writer, sourceOf, database, run, rows, maxRetries);
  }

  /** Retries of one record's transaction after transient errors before it is a failure. */
  public PostgresWrite<T> withMaxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + retries);
    }
    return new PostgresWrite<>(kind, writer, sourceOf, database, run, batchSize, retries);
  }

  @Override
  public PCollection<Failure> expand(PCollection<T> records) {
    if (database == null || run == null) {
      throw new IllegalStateException("withDatabase(…) and withRun(…) are required");
    }
    return records.apply("Write", ParDo.of(new WriteFn<>(this)));
  }

  /** Writes with the configuration of its transform, as Beam's own IO connectors do. */
  private static final class WriteFn<T> extends DoFn<T, Failure> {
    private final PostgresWrite<T> spec;
    private final Counter written;
    private final Counter failed;
    private final Counter retries = Metrics.counter(PostgresWrite.class, "transaction_retries");
    private transient RetryingConnection connection;
    private transient IngestRepository repository;

    WriteFn(PostgresWrite<T> spec) {
      this.spec = spec;
      this.written = Metrics.counter(PostgresWrite.class, spec.kind + "_written");
      this.failed = Metrics.counter(PostgresWrite.class, spec.kind + "_failed");
    }

    @Setup
    public void setup() throws SQLException, InterruptedException {
      connection = new RetryingConnection(spec.database, spec.maxRetries, retries);
      repository = new IngestRepository(spec.run, spec.batchSize);
      repository.registerIndexVersion(connection);
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<Failure> failures)
        throws InterruptedException {
      try {
        connection.inTransaction(c -> {
          spec.writer.write(repository, c, record);
          return null;
        });
        written.inc();
      } catch (SQLException e) {
        failed.inc();
        if (spec.sourceOf == null) {
          throw new IllegalStateException(
              "cannot record in PostgreSQL (" + spec.database.maskedUrl() + "): " + record, e);
        }
        Source source = spec.sourceOf.of(record);
        failures.output(new Failure(source.uri(), source.docId(), source.sizeBytes(), Stage.STORE,
            FailureClass.IO_ERROR, "cannot store in PostgreSQL: " + e.getMessage()));
      }
    }

    @Teardown
    public void teardown() {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
