package io.sluice.sinks.postgres;

import io.sluice.sinks.ledger.DocumentLedger;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Classified failures, recorded: always a dead-letter row of this run ({@code
 * observability.request_failures}); for a document, also its failed ledger stage, which settles it
 * when no retry can help, and counts the runs it failed the same retryable way in, to quarantine it
 * after the run's {@code quarantineAfter}. A document that failed extraction also gets its row,
 * with the failure as its status, and its source. Each failure is logged once, at WARN, when its
 * transaction commits.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  // A failure row is filed under the start of its run (schema version 10 partitions by it): the
  // start its run record holds, which every attempt of a run reads alike, so a replayed write
  // finds the row it wrote before. Without a run record (the sinks used on their own), the run's
  // first failure gives it, and the first failure of all now().
  private static final String INSERT =
      """
      INSERT INTO observability.request_failures
          (run_id, source_uri, stage, doc_id, error_class, retryable, message, run_started_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(
          ("""
          + RunLedger.RUN_STARTED_AT
          + """
          ),
          (SELECT min(run_started_at) FROM observability.request_failures WHERE run_id = ?),
          now()))
      ON CONFLICT (run_id, source_uri, stage, run_started_at) DO UPDATE SET
          doc_id = EXCLUDED.doc_id, error_class = EXCLUDED.error_class,
          retryable = EXCLUDED.retryable, message = EXCLUDED.message""";

  private final RunContext run;
  private final DocumentLedger ledger;
  private final DocumentWrites documents;

  DeadLetters(RunContext run) {
    this.run = run;
    this.ledger = new DocumentLedger(run);
    this.documents = new DocumentWrites(run);
  }

  /** Records the failures; what it returns logs them, once they are committed. */
  Runnable write(Connection connection, List<Failure> failures) throws SQLException {
    List<Failure> recorded = new java.util.ArrayList<>(failures.size());
    for (Failure failure : failures) {
      recorded.add(write(connection, failure));
    }
    return () -> recorded.forEach(this::log);
  }

  private Failure write(Connection connection, Failure failure) throws SQLException {
    Failure recorded = failure;
    if (failure.docId() != null && run.indexVersion() != null) {
      Source source = new Source(failure.sourceUri(), failure.docId(), failure.sizeBytes());
      if (failure.stage() == Stage.EXTRACT) {
        documents.recordFailedDocument(
            connection, source, failure.failureClass().code(), failure.message());
      }
      int attempts = ledger.recordFailure(connection, failure);
      if (ledger.dueForQuarantine(failure, attempts)) {
        ledger.quarantine(connection, failure);
        recorded =
            Failure.of(
                source,
                failure.stage(),
                FailureClass.QUARANTINED,
                failure.message()
                    + " — failed this way ("
                    + failure.failureClass().code()
                    + ") in "
                    + attempts
                    + " runs; quarantined: later runs skip it unless run with"
                    + " --retryQuarantined");
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, run.runId());
      insert.setString(2, recorded.sourceUri());
      insert.setString(3, recorded.stage().code());
      insert.setString(4, recorded.docId());
      insert.setString(5, recorded.failureClass().code());
      insert.setBoolean(6, recorded.retryable());
      insert.setString(7, recorded.message());
      insert.setString(8, run.runId());
      insert.setString(9, run.runId());
      insert.executeUpdate();
    }
    return recorded;
  }

  private void log(Failure failure) {
    String inherited = MDC.get("run_id");
    MDC.put("run_id", run.runId());
    MDC.put("source_uri", failure.sourceUri());
    if (failure.docId() != null) {
      MDC.put("doc_id", failure.docId());
    }
    try {
      LOG.warn(
          "{} failed at {}: {} ({}): {}",
          failure.sourceUri(),
          failure.stage().code(),
          failure.failureClass().code(),
          failure.retryable() ? "retryable" : "settled",
          failure.message());
    } finally {
      MDC.remove("source_uri");
      MDC.remove("doc_id");
      if (inherited == null) {
        MDC.remove("run_id");
      } else {
        MDC.put("run_id", inherited);
      }
    }
  }
}
