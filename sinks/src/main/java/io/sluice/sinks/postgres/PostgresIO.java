package io.sluice.sinks.postgres;

import io.sluice.sinks.ledger.ClaimUnsettled;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.Stage;

/**
 * sluice's PostgreSQL transforms, in the manner of Beam's {@code JdbcIO}:
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<DocumentRecord>, Failure> stored = documents.apply(
 *     PostgresIO.writeDocuments().withDatabase(database).withRun(run).withBatchSize(5_000));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #writeDocuments()}: documents with their chunks, vectors and completed ledger
 *       stages, many to a transaction, each whole or not at all, so a reader never sees a
 *       half-written document;
 *   <li>{@link #recordSightings()}: sources found again whose documents are already settled;
 *   <li>{@link #writeFailures()}: classified failures, to the dead-letter table and the ledger;
 *   <li>{@link #claimUnsettled()}: claims the documents that need work in this index version and
 *       passes on the sources of those that do not.
 * </ul>
 */
public final class PostgresIO {
  private static final Runnable NOTHING_TO_COUNT = () -> {};

  private PostgresIO() {}

  public static PostgresWrite<DocumentRecord> writeDocuments() {
    return PostgresWrite.of(
        "documents",
        run -> {
          DocumentWrites writes = new DocumentWrites(run);
          return (connection, documents) -> {
            writes.writeDocuments(connection, documents);
            return NOTHING_TO_COUNT;
          };
        },
        (document, failureClass, message) ->
            Failure.of(document.source(), Stage.STORE, failureClass, message),
        document -> Math.max(1L, document.chunks().size()));
  }

  public static PostgresWrite<Source> recordSightings() {
    return PostgresWrite.of(
        "sightings",
        run -> {
          DocumentWrites writes = new DocumentWrites(run);
          return (connection, sources) -> {
            writes.recordSightings(connection, sources);
            return NOTHING_TO_COUNT;
          };
        },
        (source, failureClass, message) -> Failure.of(source, Stage.STORE, failureClass, message),
        source -> 1L);
  }

  public static PostgresWrite<Failure> writeFailures() {
    return PostgresWrite.<Failure>of(
        "failures", run -> new DeadLetters(run)::write, null, failure -> 1L);
  }

  public static ClaimUnsettled claimUnsettled() {
    return ClaimUnsettled.create();
  }
}
