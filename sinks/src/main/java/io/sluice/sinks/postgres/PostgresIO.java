package io.sluice.sinks.postgres;

import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.Source;

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
    return PostgresWrite.of("documents", IngestRepository::writeDocument, DocumentRecord::source);
  }

  public static PostgresWrite<Source> recordSightings() {
    return PostgresWrite.of("sightings", IngestRepository::recordSighting, source -> source);
  }

  public static PostgresWrite<Failure> writeFailures() {
    return PostgresWrite.of("failures", IngestRepository::writeFailure, null);
  }

  public static SkipSettled skipSettled() {
    return SkipSettled.create();
  }
}
