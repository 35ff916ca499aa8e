package io.sluice.sinks.ledger;

import io.sluice.sinks.postgres.RunContext;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.Stage;
import io.sluice.transforms.model.StageTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The per-document ledger of an index version ({@code workflow.document_stages}): which run holds a
 * document, which stages it completed, how it failed and how often. It decides what later runs
 * skip: a document stored completely, failed in a way no retry can change (unless the run retries
 * failed documents), or quarantined (unless the run retries quarantined documents). Each method
 * runs inside the caller's transaction.
 */
public final class DocumentLedger {
  private static final List<Stage> COMPLETED_STAGES =
      List.of(Stage.EXTRACT, Stage.CHUNK, Stage.EMBED, Stage.STORE);

  private final RunContext run;

  public DocumentLedger(RunContext run) {
    this.run = run;
  }

  /** Whether the document needs no work in this index version. */
  public boolean isSettled(Connection connection, String docId) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            """
        SELECT EXISTS (SELECT 1 FROM workflow.document_stages
                       WHERE doc_id = ? AND pipeline_run_id = ?
                         AND ((stage = 'store' AND status = 'completed')
                              OR (status = 'failed' AND retryable = false AND NOT ?)
                              OR (status = 'quarantined' AND NOT ?)))""")) {
      query.setString(1, docId);
      query.setString(2, run.indexVersionId());
      query.setBoolean(3, run.retryFailed());
      query.setBoolean(4, run.retryQuarantined());
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  /**
   * Marks the document {@code in_progress} for this run, keeping what earlier failures recorded
   * (their class and count decide quarantine). Returns whether an earlier run claimed it and never
   * finished it: the document is being redone after a crash, or beside a run that is still going
   * (harmless: every write is idempotent).
   */
  public boolean claim(Connection connection, String docId) throws SQLException {
    boolean takenOver;
    try (PreparedStatement previous =
        connection.prepareStatement(
            """
        SELECT 1 FROM workflow.document_stages
        WHERE doc_id = ? AND pipeline_run_id = ? AND stage = 'extract'
          AND status = 'in_progress' AND run_id <> ?
        FOR UPDATE""")) {
      previous.setString(1, docId);
      previous.setString(2, run.indexVersionId());
      previous.setString(3, run.runId());
      try (ResultSet result = previous.executeQuery()) {
        takenOver = result.next();
      }
    }
    try (PreparedStatement claim =
        connection.prepareStatement(
            """
        INSERT INTO workflow.document_stages
            (doc_id, pipeline_run_id, stage, status, attempts, run_id, started_at)
        VALUES (?, ?, 'extract', 'in_progress', 0, ?, now())
        ON CONFLICT (doc_id, pipeline_run_id, stage) DO UPDATE SET
            status = 'in_progress', run_id = EXCLUDED.run_id, started_at = now(),
            finished_at = NULL""")) {
      claim.setString(1, docId);
      claim.setString(2, run.indexVersionId());
      claim.setString(3, run.runId());
      claim.executeUpdate();
    }
    return takenOver;
  }

  /**
   * Every stage of these documents completed by this run, in one batch, each with the times its
   * worker recorded; the store stage's are this transaction's start and the moment of the write. A
   * stage without recorded times (a document from an older job's state) gets the store's.
   */
  public void complete(Connection connection, Collection<DocumentRecord> documents)
      throws SQLException {
    try (PreparedStatement stage =
        connection.prepareStatement(
            """
        INSERT INTO workflow.document_stages (doc_id, pipeline_run_id, stage, status, attempts,
            error_class, retryable, error_message, run_id, started_at, finished_at)
        VALUES (?, ?, ?, 'completed', 1, NULL, NULL, NULL, ?,
                coalesce(?::timestamptz, now()), coalesce(?::timestamptz, clock_timestamp()))
        ON CONFLICT (doc_id, pipeline_run_id, stage) DO UPDATE SET
            status = EXCLUDED.status, attempts = workflow.document_stages.attempts + 1,
            error_class = NULL, retryable = NULL, error_message = NULL,
            run_id = EXCLUDED.run_id, started_at = EXCLUDED.started_at,
            finished_at = EXCLUDED.finished_at""")) {
      for (DocumentRecord document : documents) {
        for (Stage completed : COMPLETED_STAGES) {
          Optional<StageTimes.Span> span = document.times().of(completed);
          stage.setString(1, document.source().docId());
          stage.setString(2, run.indexVersionId());
          stage.setString(3, completed.code());
          stage.setString(4, run.runId());
          stage.setObject(5, span.map(s -> utc(s.startedMillis())).orElse(null));
          stage.setObject(6, span.map(s -> utc(s.finishedMillis())).orElse(null));
          stage.addBatch();
        }
      }
      stage.executeBatch();
    }
  }

  private static OffsetDateTime utc(long epochMillis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }

  /**
   * The failed stage of a document; returns in how many runs in a row it has failed with this class
   * (a bundle the runner replays within one run is the same attempt), or 0 when the stage had
   * completed (another source of the same bytes stored it). A failure after extraction gives up
   * this run's claim: nothing holds the document any more, and the failed stage says why.
   */
  public int recordFailure(Connection connection, Failure failure) throws SQLException {
    if (failure.stage() != Stage.EXTRACT) {
      releaseClaim(connection, failure.docId());
    }
    try (PreparedStatement stage =
        connection.prepareStatement(
            """
        INSERT INTO workflow.document_stages AS s (doc_id, pipeline_run_id, stage, status,
            attempts, error_class, retryable, error_message, run_id, started_at, finished_at,
            last_failed_run_id)
        VALUES (?, ?, ?, 'failed', 1, ?, ?, ?, ?, now(), now(), ?)
        ON CONFLICT (doc_id, pipeline_run_id, stage) DO UPDATE SET
            attempts = CASE
                WHEN s.last_failed_run_id = EXCLUDED.run_id THEN s.attempts
                WHEN s.error_class = EXCLUDED.error_class THEN s.attempts + 1
                ELSE 1 END,
            status = 'failed', error_class = EXCLUDED.error_class,
            retryable = EXCLUDED.retryable, error_message = EXCLUDED.error_message,
            run_id = EXCLUDED.run_id, finished_at = now(),
            last_failed_run_id = EXCLUDED.run_id
        WHERE s.status <> 'completed'
        RETURNING attempts""")) {
      stage.setString(1, failure.docId());
      stage.setString(2, run.indexVersionId());
      stage.setString(3, failure.stage().code());
      stage.setString(4, failure.failureClass().code());
      stage.setBoolean(5, failure.retryable());
      stage.setString(6, failure.message());
      stage.setString(7, run.runId());
      stage.setString(8, run.runId());
      try (ResultSet result = stage.executeQuery()) {
        return result.next() ? result.getInt(1) : 0;
      }
    }
  }

  /** Whether a document that failed retryably {@code attempts} times is to be quarantined. */
  public boolean dueForQuarantine(Failure failure, int attempts) {
    return failure.retryable() && attempts >= run.quarantineAfter();
  }

  public void quarantine(Connection connection, Failure failure) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            """
        UPDATE workflow.document_stages SET status = 'quarantined'
        WHERE doc_id = ? AND pipeline_run_id = ? AND stage = ?""")) {
      update.setString(1, failure.docId());
      update.setString(2, run.indexVersionId());
      update.setString(3, failure.stage().code());
      update.executeUpdate();
    }
  }

  private void releaseClaim(Connection connection, String docId) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            """
        DELETE FROM workflow.document_stages
        WHERE doc_id = ? AND pipeline_run_id = ? AND stage = 'extract'
          AND status = 'in_progress' AND run_id = ?""")) {
      delete.setString(1, docId);
      delete.setString(2, run.indexVersionId());
      delete.setString(3, run.runId());
      delete.executeUpdate();
    }
  }
}
