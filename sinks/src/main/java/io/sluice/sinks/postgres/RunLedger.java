package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run-level bookkeeping in {@code workflow.run_records} and the figures the CLI shows about a run:
 * progress while it goes, the report at its end, {@code sluice status} afterwards.
 */
public final class RunLedger {
  /** What a run did, read back from the stores. */
  public record RunFigures(
      long sourcesSeen,
      long documentsStored,
      long documentsNoText,
      long chunksWritten,
      long vectorsWritten,
      long failures,
      Map<String, Long> failuresByClass,
      Map<String, List<String>> failureExamples) {}

  /** A past run of sluice's own as recorded (backfilled legacy runs are not listed). */
  public record RunRow(
      String runId, String status, String startedAt, String finishedAt, String payload) {}

  /**
   * The documents the ledger holds claimed ({@code in_progress}), those of them claimed longer ago
   * than the stale limit, and the quarantined ones.
   */
  public record LedgerState(long inProgress, long stale, long quarantined) {}

  /**
   * The start a sluice run's record holds (kept when the run is resumed under its id); one
   * parameter, the run id. Backfilled legacy runs have a source and are not sluice's.
   */
  static final String RUN_STARTED_AT =
      """
      SELECT started_at FROM workflow.run_records
      WHERE run_id = ? AND record_kind = 'run' AND step = '' AND record_key = 'main'
          AND source IS NULL""";

  private final DatabaseConfig database;

  public RunLedger(DatabaseConfig database) {
    this.database = database;
  }

  public void started(String runId, String payloadJson) throws SQLException {
    upsertRun(runId, "running", payloadJson, false);
  }

  public void finished(String runId, String status, String payloadJson) throws SQLException {
    upsertRun(runId, status, payloadJson, true);
  }

  private void upsertRun(String runId, String status, String payloadJson, boolean finished)
      throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement upsert =
            connection.prepareStatement(
                """
            INSERT INTO workflow.run_records
                (run_id, record_kind, step, record_key, status, started_at, payload)
            VALUES (?, 'run', '', 'main', ?, now(), ?::jsonb)
            ON CONFLICT (run_id, record_kind, step, record_key) DO UPDATE SET
                status = EXCLUDED.status,
                finished_at = CASE WHEN ? THEN now() END,
                payload = workflow.run_records.payload || EXCLUDED.payload,
                updated_at = now()""")) {
      upsert.setString(1, runId);
      upsert.setString(2, status);
      upsert.setString(3, payloadJson);
      upsert.setBoolean(4, finished);
      upsert.executeUpdate();
    }
  }

  // The counts by run that progress and status read, each through an index (schema version 8):
  // at ten million chunks a scan per progress tick would be seconds each.
  static final String SOURCES_SEEN =
      "SELECT count(*) FROM ingestion.sources WHERE last_seen_run_id = ?";
  static final String CHUNKS_WRITTEN = "SELECT count(*) FROM indexing.chunks WHERE run_id = ?";
  static final String VECTORS_WRITTEN = "SELECT count(*) FROM indexing.vectors WHERE run_id = ?";
  static final String DOCUMENTS_STORED =
      """
      SELECT count(*) FROM workflow.document_stages
      WHERE run_id = ? AND stage = 'store' AND status = 'completed'""";
  static final String FAILURES =
      "SELECT count(*) FROM observability.request_failures WHERE run_id = ?";

  /** What a progress line shows of a run, from indexed counts. */
  public record RunProgress(long sourcesSeen, long documentsStored, long failures) {}

  public RunProgress progress(String runId) throws SQLException {
    try (Connection connection = database.connect()) {
      return new RunProgress(
          count(connection, SOURCES_SEEN, runId),
          count(connection, DOCUMENTS_STORED, runId),
          count(connection, FAILURES, runId));
    }
  }

  /** The chunks the run wrote. */
  public long chunksWritten(String runId) throws SQLException {
    try (Connection connection = database.connect()) {
      return count(connection, CHUNKS_WRITTEN, runId);
    }
  }

  public RunFigures figures(String runId) throws SQLException {
    try (Connection connection = database.connect()) {
      long sources = count(connection, SOURCES_SEEN, runId);
      long stored;
      long noText;
      // Both outcomes in one pass over the run's store stages.
      try (PreparedStatement query =
          connection.prepareStatement(
              """
          SELECT count(*) FILTER (WHERE d.status = 'ok'), count(*) FILTER (WHERE d.status = 'no_text')
          FROM workflow.document_stages s JOIN ingestion.documents d USING (doc_id)
          WHERE s.run_id = ? AND s.stage = 'store' AND s.status = 'completed'""")) {
        query.setString(1, runId);
        try (ResultSet result = query.executeQuery()) {
          result.next();
          stored = result.getLong(1);
          noText = result.getLong(2);
        }
      }
      long chunks = count(connection, CHUNKS_WRITTEN, runId);
      long vectors = count(connection, VECTORS_WRITTEN, runId);
      Map<String, Long> byClass = new LinkedHashMap<>();
      Map<String, List<String>> examples = new LinkedHashMap<>();
      try (PreparedStatement query =
          connection.prepareStatement(
              """
          SELECT error_class || CASE WHEN retryable THEN ' (retryable)' ELSE ' (permanent)' END,
                 count(*), (array_agg(source_uri || ': ' || message ORDER BY source_uri))[1:3]
          FROM observability.request_failures WHERE run_id = ?
          GROUP BY 1 ORDER BY 2 DESC, 1""")) {
        query.setString(1, runId);
        try (ResultSet result = query.executeQuery()) {
          while (result.next()) {
            byClass.put(result.getString(1), result.getLong(2));
            examples.put(result.getString(1), List.of((String[]) result.getArray(3).getArray()));
          }
        }
      }
      long failures = byClass.values().stream().mapToLong(Long::longValue).sum();
      return new RunFigures(sources, stored, noText, chunks, vectors, failures, byClass, examples);
    }
  }

  /** Only the claimed and quarantined rows are read, through the (stage, status) index. */
  public LedgerState state(Duration staleAfter) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                """
            SELECT count(*) FILTER (WHERE status = 'in_progress'),
                   count(*) FILTER (WHERE status = 'in_progress'
                                      AND started_at < now() - make_interval(secs => ?)),
                   count(*) FILTER (WHERE status = 'quarantined')
            FROM workflow.document_stages
            WHERE stage = 'extract' AND status IN ('in_progress', 'quarantined')""")) {
      query.setLong(1, staleAfter.toSeconds());
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return new LedgerState(result.getLong(1), result.getLong(2), result.getLong(3));
      }
    }
  }

  public List<RunRow> recentRuns(int limit) throws SQLException {
    return runs("ORDER BY started_at DESC LIMIT ?", query -> query.setInt(1, limit));
  }

  public Optional<RunRow> run(String runId) throws SQLException {
    return runs("AND run_id = ?", query -> query.setString(1, runId)).stream().findFirst();
  }

  /** Binds a query's parameters. */
  private interface Parameters {
    void bind(PreparedStatement query) throws SQLException;
  }

  private List<RunRow> runs(String condition, Parameters parameters) throws SQLException {
    List<RunRow> runs = new ArrayList<>();
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                """
            SELECT run_id, status, started_at::text, finished_at::text, payload::text
            FROM workflow.run_records WHERE record_kind = 'run' AND source IS NULL"""
                    + " "
                    + condition)) {
      parameters.bind(query);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          runs.add(
              new RunRow(
                  result.getString(1),
                  result.getString(2),
                  result.getString(3),
                  result.getString(4),
                  result.getString(5)));
        }
      }
    }
    return runs;
  }

  /**
   * Removes the sources under the given URI prefixes that this run did not see, then every document
   * no source points at any more. Returns the number of documents removed.
   */
  /** The sources recorded under one input root, and how many of them this run did not see. */
  public record RootSources(String rootUri, long sources, long unseen) {}

  /** What {@link #prune} would consider under each root, without removing anything. */
  public List<RootSources> sourcesUnder(String runId, List<String> rootUris) throws SQLException {
    List<RootSources> roots = new ArrayList<>();
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                """
            SELECT count(*), count(*) FILTER (WHERE last_seen_run_id <> ?)
            FROM ingestion.sources WHERE starts_with(source_uri, ?)""")) {
      for (String root : rootUris) {
        query.setString(1, runId);
        query.setString(2, root);
        try (ResultSet result = query.executeQuery()) {
          result.next();
          roots.add(new RootSources(root, result.getLong(1), result.getLong(2)));
        }
      }
    }
    return roots;
  }

  public int prune(String runId, List<String> rootUris) throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      List<String> orphans = new ArrayList<>();
      for (String root : rootUris) {
        try (PreparedStatement delete =
            connection.prepareStatement(
                """
            DELETE FROM ingestion.sources
            WHERE starts_with(source_uri, ?) AND last_seen_run_id <> ?
            RETURNING doc_id""")) {
          delete.setString(1, root);
          delete.setString(2, runId);
          try (ResultSet result = delete.executeQuery()) {
            while (result.next()) {
              orphans.add(result.getString(1));
            }
          }
        }
      }
      int removed = 0;
      for (String docId : orphans.stream().distinct().toList()) {
        if (DocumentRemoval.removeIfUnreferenced(connection, docId, runId)) {
          removed++;
        }
      }
      connection.commit();
      return removed;
    }
  }

  private static long count(Connection connection, String sql, String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, runId);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }
}
