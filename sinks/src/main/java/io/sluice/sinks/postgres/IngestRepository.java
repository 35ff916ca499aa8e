package io.sluice.sinks.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.transforms.keys.IndexVersion;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQL behind sluice's idempotent writes. Every statement is an upsert keyed by content-derived
 * keys, so a replayed bundle or a second run rewrites the same rows instead of adding new ones.
 * Each method runs inside the caller's transaction.
 */
final class IngestRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Stage> COMPLETED_STAGES =
      List.of(Stage.EXTRACT, Stage.CHUNK, Stage.EMBED, Stage.STORE);

  private final RunContext run;
  private final int batchSize;

  IngestRepository(RunContext run, int batchSize) {
    this.run = run;
    this.batchSize = batchSize;
  }

  /**
   * Registers the run's index version, when it has one, in a transaction of its own: claims and
   * vectors reference it, and every DoFn that writes either calls this at setup.
   */
  void registerIndexVersion(RetryingConnection connection)
      throws SQLException, InterruptedException {
    if (run.indexVersion() != null) {
      connection.inTransaction(c -> {
        registerIndexVersion(c);
        return null;
      });
    }
  }

  void registerIndexVersion(Connection connection) throws SQLException {
    IndexVersion version = run.indexVersion();
    try (PreparedStatement insert = connection.prepareStatement("""
        INSERT INTO indexing.index_versions (pipeline_run_id, embedding_model, dimension,
            chunk_size, chunk_overlap, chunk_unit, across_pages, parameters)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
        ON CONFLICT (pipeline_run_id) DO NOTHING""")) {
      insert.setString(1, version.id());
      insert.setString(2, version.embeddingModel());
      insert.setInt(3, version.dimension());
      insert.setInt(4, version.chunkSize());
      insert.setInt(5, version.chunkOverlap());
      insert.setString(6, version.chunkUnit());
      insert.setBoolean(7, version.acrossPages());
      insert.setString(8, json(version));
      insert.executeUpdate();
    }
  }

  /**
   * Whether the document needs no work in this index version: stored completely, failed in a way
   * no retry can change, or quarantined (unless this run retries quarantined documents).
   */
  boolean isSettled(Connection connection, String docId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("""
        SELECT EXISTS (SELECT 1 FROM workflow.document_stages
                       WHERE doc_id = ? AND pipeline_run_id = ?
                         AND ((stage = 'store' AND status = 'completed')
                              OR (status = 'failed' AND retryable = false)
                              OR (status = 'quarantined' AND NOT ?)))""")) {
      query.setString(1, docId);
      query.setString(2, run.pipelineRunId());
      query.setBoolean(3, run.retryQuarantined());
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  /**
   * Marks the document {@code in_progress} for this run, keeping what earlier failures recorded
   * (their class and count decide quarantine). Returns whether an earlier run claimed it and
   * never finished it: the document is being redone after a crash, or beside a run that is still
   * going (harmless: every write is idempotent).
   */
  boolean claim(Connection connection, String docId) throws SQLException {
    boolean takenOver;
    try (PreparedStatement previous = connection.prepareStatement("""
        SELECT 1 FROM workflow.document_stages
        WHERE doc_id = ? AND pipeline_run_id = ? AND stage = 'extract'
          AND status = 'in_progress' AND run_id <> ?
        FOR UPDATE""")) {
      previous.setString(1, docId);
      previous.setString(2, run.pipelineRunId());
      previous.setString(3, run.runId());
      try (ResultSet result = previous.executeQuery()) {
        takenOver = result.next();
      }
    }
    try (PreparedStatement claim = connection.prepareStatement("""
        INSERT INTO workflow.document_stages
            (doc_id, pipeline_run_id, stage, status, attempts, run_id, started_at)
        VALUES (?, ?, 'extract', 'in_progress', 0, ?, now())
        ON CONFLICT (doc_id, pipeline_run_id, stage) DO UPDATE SET
            status = 'in_progress', run_id = EXCLUDED.run_id, started_at = now(),
            finished_at = NULL""")) {
      claim.setString(1, docId);
      claim.setString(2, run.pipelineRunId());
      claim.setString(3, run.runId());
      claim.executeUpdate();
    }
    return takenOver;
  }

  /** A document with its chunks and vectors, and its completed stages, all in one transaction. */
  void writeDocument(Connection connection, DocumentRecord document) throws SQLException {
    Source source = document.source();
    upsertDocument(connection, source, document.metadata().pages(), json(document.metadata()),
        document.hasText() ? "ok" : "no_text", null);
    pointSourceAt(connection, source);
    insertChunksAndVectors(connection, source.docId(), document.chunks());
    try (PreparedStatement stage = connection.prepareStatement(STAGE_UPSERT)) {
      for (Stage completed : COMPLETED_STAGES) {
        bindStage(stage, source.docId(), completed, "completed", null);
        stage.addBatch();
      }
      stage.executeBatch();
    }
  }

  /** A source seen again whose document is already settled: only the source row changes. */
  void recordSighting(Connection connection, Source source) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(
        "SELECT 1 FROM ingestion.documents WHERE doc_id = ? FOR SHARE")) {
      lock.setString(1, source.docId());
      lock.executeQuery().close();
    }
    pointSourceAt(connection, source);
  }

  /**
   * A classified failure: always a dead-letter row for this run; for a document that failed
   * extraction, also the document with its failure status, its source and its failed ledger stage
   * (which never overwrites a completed one). A document that has now failed the same retryable
   * way in as many runs as the run's {@code quarantineAfter} is quarantined, and its dead-letter
   * row says so. A document that could not be stored gives up this run's claim on it: the ledger
   * then says what is true, that nothing holds it, and the next run takes it as new.
   */
  void writeFailure(Connection connection, Failure failure) throws SQLException {
    Failure recorded = failure;
    if (failure.docId() != null && failure.stage() == Stage.EXTRACT) {
      Source source = new Source(failure.sourceUri(), failure.docId(), failure.sizeBytes());
      upsertDocument(connection, source, null, "{}", failure.failureClass().code(),
          failure.message());
      pointSourceAt(connection, source);
      int attempts = recordFailedStage(connection, failure);
      if (failure.retryable() && attempts >= run.quarantineAfter()) {
        quarantine(connection, failure.docId());
        recorded = Failure.of(source, Stage.EXTRACT, FailureClass.QUARANTINED,
            failure.message() + " — failed this way (" + failure.failureClass().code() + ") in "
                + attempts + " runs; quarantined: later runs skip it unless run with"
                + " --retryQuarantined");
      }
    } else if (failure.docId() != null && failure.stage() == Stage.STORE) {
      releaseClaim(connection, failure.docId());
    }
    try (PreparedStatement insert = connection.prepareStatement("""
        INSERT INTO observability.request_failures
            (run_id, source_uri, stage, doc_id, error_class, retryable, message)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, source_uri, stage) DO UPDATE SET
            doc_id = EXCLUDED.doc_id, error_class = EXCLUDED.error_class,
            retryable = EXCLUDED.retryable, message = EXCLUDED.message""")) {
      insert.setString(1, run.runId());
      insert.setString(2, recorded.sourceUri());
      insert.setString(3, recorded.stage().code());
      insert.setString(4, recorded.docId());
      insert.setString(5, recorded.failureClass().code());
      insert.setBoolean(6, recorded.retryable());
      insert.setString(7, recorded.message());
      insert.executeUpdate();
    }
  }

  /**
   * The failed extract stage; returns in how many runs in a row it has failed with this class (a
   * bundle the runner replays within one run is the same attempt).
   */
  private int recordFailedStage(Connection connection, Failure failure) throws SQLException {
    try (PreparedStatement stage = connection.prepareStatement("""
        INSERT INTO workflow.document_stages AS s (doc_id, pipeline_run_id, stage, status,
            attempts, error_class, retryable, error_message, run_id, started_at, finished_at,
            last_failed_run_id)
        VALUES (?, ?, 'extract', 'failed', 1, ?, ?, ?, ?, now(), now(), ?)
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
      stage.setString(2, run.pipelineRunId());
      stage.setString(3, failure.failureClass().code());
      stage.setBoolean(4, failure.retryable());
      stage.setString(5, failure.message());
      stage.setString(6, run.runId());
      stage.setString(7, run.runId());
      try (ResultSet result = stage.executeQuery()) {
        return result.next() ? result.getInt(1) : 0;
      }
    }
  }

  private void releaseClaim(Connection connection, String docId) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("""
        DELETE FROM workflow.document_stages
        WHERE doc_id = ? AND pipeline_run_id = ? AND stage = 'extract'
          AND status = 'in_progress' AND run_id = ?""")) {
      delete.setString(1, docId);
      delete.setString(2, run.pipelineRunId());
      delete.setString(3, run.runId());
      delete.executeUpdate();
    }
  }

  private void quarantine(Connection connection, String docId) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("""
        UPDATE workflow.document_stages SET status = 'quarantined'
        WHERE doc_id = ? AND pipeline_run_id = ? AND stage = 'extract'""")) {
      update.setString(1, docId);
      update.setString(2, run.pipelineRunId());
      update.executeUpdate();
    }
  }

  /**
   * A document's row. A failure never overwrites a document that another source already stored
   * successfully (the same bytes cannot be both), and {@code first_run_id} keeps the first run.
   */
  private void upsertDocument(Connection connection, Source source, Integer pages, String metadata,
      String status, String errorMessage) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement("""
        INSERT INTO ingestion.documents
            (doc_id, size_bytes, pages, metadata, status, error_message, first_run_id, run_id)
        VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?)
        ON CONFLICT (doc_id) DO UPDATE SET
            pages = EXCLUDED.pages, metadata = EXCLUDED.metadata, status = EXCLUDED.status,
            error_message = EXCLUDED.error_message, run_id = EXCLUDED.run_id, updated_at = now()
        WHERE EXCLUDED.status IN ('ok', 'no_text')
           OR ingestion.documents.status NOT IN ('ok', 'no_text')""")) {
      upsert.setString(1, source.docId());
      upsert.setLong(2, source.sizeBytes());
      if (pages == null) {
        upsert.setNull(3, java.sql.Types.INTEGER);
      } else {
        upsert.setInt(3, pages);
      }
      upsert.setString(4, metadata);
      upsert.setString(5, status);
      upsert.setString(6, errorMessage);
      upsert.setString(7, run.runId());
      upsert.setString(8, run.runId());
      upsert.executeUpdate();
    }
  }

  /**
   * Points the source URI at its (current) document. When the URI pointed at other bytes before
   * and no source points at that old document any more, the old document goes, with its chunks,
   * vectors and ledger: stale chunks never outlive their source.
   */
  private void pointSourceAt(Connection connection, Source source) throws SQLException {
    String previousDocId = null;
    try (PreparedStatement previous = connection.prepareStatement(
        "SELECT doc_id FROM ingestion.sources WHERE source_uri = ? FOR UPDATE")) {
      previous.setString(1, source.uri());
      try (ResultSet result = previous.executeQuery()) {
        if (result.next()) {
          previousDocId = result.getString(1);
        }
      }
    }
    try (PreparedStatement upsert = connection.prepareStatement("""
        INSERT INTO ingestion.sources
            (source_uri, doc_id, size_bytes, first_seen_run_id, last_seen_run_id)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (source_uri) DO UPDATE SET
            doc_id = EXCLUDED.doc_id, size_bytes = EXCLUDED.size_bytes,
            last_seen_run_id = EXCLUDED.last_seen_run_id, updated_at = now()""")) {
      upsert.setString(1, source.uri());
      upsert.setString(2, source.docId());
      upsert.setLong(3, source.sizeBytes());
      upsert.setString(4, run.runId());
      upsert.setString(5, run.runId());
      upsert.executeUpdate();
    }
    if (previousDocId != null && !previousDocId.equals(source.docId())) {
      DocumentRemoval.removeIfUnreferenced(connection, previousDocId);
    }
  }

  /**
   * The chunks and their vectors, {@code batchSize} at a time, sent with binary COPY (a vector
   * travels as four-byte floats, not as decimal text the server must parse). A document is
   * written whole in one transaction, under its row's lock, so it has either all of its chunks
   * and vectors or none: when none, the rows are copied straight into their tables; otherwise (a
   * replayed bundle, a second run racing this one, a new index version over stored chunks) they
   * go through staging tables and an upsert that keeps what is there.
   */
  private void insertChunksAndVectors(Connection connection, String docId, List<Chunk> chunks)
      throws SQLException {
    if (chunks.isEmpty()) {
      return;
    }
    boolean fresh = !hasChunks(connection, docId);
    try (Statement statement = connection.createStatement()) {
      if (!fresh) {
        statement.execute("""
            CREATE TEMP TABLE IF NOT EXISTS staged_chunks
                (LIKE indexing.chunks INCLUDING DEFAULTS) ON COMMIT DELETE ROWS""");
        statement.execute("""
            CREATE TEMP TABLE IF NOT EXISTS staged_vectors
                (LIKE indexing.vectors INCLUDING DEFAULTS) ON COMMIT DELETE ROWS""");
      }
      for (int from = 0; from < chunks.size(); from += batchSize) {
        List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + batchSize));
        ChunkCopyRows rows = new ChunkCopyRows(run.runId(), run.pipelineRunId());
        batch.forEach(chunk -> rows.add(docId, chunk));
        if (fresh) {
          rows.copyInto(connection, "indexing.chunks", "indexing.vectors");
          continue;
        }
        rows.copyInto(connection, "staged_chunks", "staged_vectors");
        statement.execute("""
            INSERT INTO indexing.chunks SELECT * FROM staged_chunks
            ON CONFLICT (chunk_id) DO NOTHING""");
        statement.execute("""
            INSERT INTO indexing.vectors SELECT * FROM staged_vectors
            ON CONFLICT (chunk_id, pipeline_run_id) DO NOTHING""");
        statement.execute("TRUNCATE staged_chunks, staged_vectors");
      }
    }
  }

  /** Whether any chunk of the document is stored (a vector cannot be, without its chunk). */
  private boolean hasChunks(Connection connection, String docId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT EXISTS (SELECT 1 FROM indexing.chunks WHERE doc_id = ?)")) {
      query.setString(1, docId);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  private static final String STAGE_UPSERT = """
      INSERT INTO workflow.document_stages (doc_id, pipeline_run_id, stage, status, attempts,
          error_class, retryable, error_message, run_id, started_at, finished_at)
      VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, now(), now())
      ON CONFLICT (doc_id, pipeline_run_id, stage) DO UPDATE SET
          status = EXCLUDED.status, attempts = workflow.document_stages.attempts + 1,
          error_class = EXCLUDED.error_class, retryable = EXCLUDED.retryable,
          error_message = EXCLUDED.error_message, run_id = EXCLUDED.run_id,
          finished_at = now()""";

  private void bindStage(PreparedStatement stage, String docId, Stage name, String status,
      Failure failure) throws SQLException {
    stage.setString(1, docId);
    stage.setString(2, run.pipelineRunId());
    stage.setString(3, name.code());
    stage.setString(4, status);
    stage.setString(5, failure == null ? null : failure.failureClass().code());
    if (failure == null) {
      stage.setNull(6, java.sql.Types.BOOLEAN);
    } else {
      stage.setBoolean(6, failure.retryable());
    }
    stage.setString(7, failure == null ? null : failure.message());
    stage.setString(8, run.runId());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
    }
  }
}
