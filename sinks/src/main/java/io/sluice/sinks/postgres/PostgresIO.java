package io.sluice.sinks.postgres;

import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.Source;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * sluice's PostgreSQL transforms, in the manner of Beam's {@code JdbcIO}:
 *
 * <pre>{@code
 * PCollection<Failure> unstored = documents.apply(
 *     PostgresIO.writeDocuments().withDatabase(database).withRun(run).withBatchSize(500));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #writeDocuments()}: a document, its chunks, vectors and completed ledger stages in
 *       one transaction, so a reader never sees a half-written document;
 *   <li>{@link #recordSightings()}: sources found again whose documents are already settled;
 *   <li>{@link #writeFailures()}: classified failures, to the dead-letter table and the ledger;
 *   <li>{@link #skipSettled()}: drops the documents this index version needs no work for.
 * </ul>
 */
public final class PostgresIO {
  private PostgresIO() {}

  public static PostgresWrite<DocumentRecord> writeDocuments() {
    return PostgresWrite.of(new DocumentWriter());
  }

  public static PostgresWrite<Source> recordSightings() {
    return PostgresWrite.of(new SightingWriter());
  }

  public static PostgresWrite<Failure> writeFailures() {
    return PostgresWrite.of(new FailureWriter());
  }

  public static SkipSettled skipSettled() {
    return SkipSettled.create();
  }

  private static final class DocumentWriter implements PostgresWrite.RecordWriter<DocumentRecord> {
    @Override
    public void write(IngestRepository repository, Connection connection, DocumentRecord document)
        throws SQLException {
      repository.writeDocument(connection, document);
    }

    @Override
    public Failure failure(DocumentRecord document, String message) {
      Source source = document.source();
      return PostgresWrite.storeFailure(source.uri(), source.docId(), source.sizeBytes(), message);
    }

    @Override
    public String metricName() {
      return "documents";
    }
  }

  private static final class SightingWriter implements PostgresWrite.RecordWriter<Source> {
    @Override
    public void write(IngestRepository repository, Connection connection, Source source)
        throws SQLException {
      repository.recordSighting(connection, source);
    }

    @Override
    public Failure failure(Source source, String message) {
      return PostgresWrite.storeFailure(source.uri(), source.docId(), source.sizeBytes(), message);
    }

    @Override
    public String metricName() {
      return "sightings";
    }
  }

  private static final class FailureWriter implements PostgresWrite.RecordWriter<Failure> {
    @Override
    public void write(IngestRepository repository, Connection connection, Failure failure)
        throws SQLException {
      repository.writeFailure(connection, failure);
    }

    @Override
    public Failure failure(Failure failure, String message) {
      return failure;
    }

    @Override
    public String metricName() {
      return "failures";
    }

    @Override
    public boolean hasFailureOutput() {
      return false;
    }
  }
}
