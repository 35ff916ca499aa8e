package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The build history of the index versions ({@code indexing.pipeline_runs}, schema version 9): a row
 * per ingest run, started with the run and filled in when it ends with what it added (the run's
 * figures) and removed (its rows of {@code indexing.document_removals}); and, for {@code sluice
 * status --indexVersions}, each version with its pgvector index ({@code indexing.vector_indexes})
 * and its latest runs.
 */
public final class IndexHistory {
  /** A run's part in one index version; the counts are null while it runs. */
  public record Run(
      String runId,
      String status,
      String startedAt,
      String finishedAt,
      Long documentsAdded,
      Long chunksAdded,
      Long vectorsAdded,
      Long documentsRemoved,
      Long chunksRemoved,
      Long vectorsRemoved) {}

  /** The pgvector index a version has, as built. */
  public record VectorIndex(
      String indexName, String method, long vectorsIndexed, double buildSeconds, String builtAt) {}

  /** One index version: what defines it, its index (null without one) and its latest runs. */
  public record Version(
      String id,
      String embeddingModel,
      int dimension,
      String chunking,
      String createdAt,
      VectorIndex index,
      List<Run> runs) {}

  // What the run added is the figures its ingest has just counted; what it removed, its removals.
  private static final String FINISH =
      """
      UPDATE indexing.pipeline_runs p SET status = ?, finished_at = now(),
          documents_added = ?, chunks_added = ?, vectors_added = ?,
          (documents_removed, chunks_removed, vectors_removed) =
              (SELECT count(*), coalesce(sum(r.chunks), 0), coalesce(sum(r.vectors), 0)
               FROM indexing.document_removals r WHERE r.run_id = p.run_id)
      WHERE run_id = ?""";

  private static final String RUNS =
      """
      SELECT run_id, status, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
             to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
             documents_added, chunks_added, vectors_added,
             documents_removed, chunks_removed, vectors_removed
      FROM indexing.pipeline_runs WHERE index_version = ?
      ORDER BY started_at DESC, run_id LIMIT ?""";

  private IndexHistory() {}

  public static void runStarted(DatabaseConfig database, String runId, String indexVersion)
      throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                """
                INSERT INTO indexing.pipeline_runs (run_id, index_version, status)
                VALUES (?, ?, 'running')
                ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL""")) {
      insert.setString(1, runId);
      insert.setString(2, indexVersion);
      insert.executeUpdate();
    }
  }

  public static void runFinished(
      DatabaseConfig database, String runId, String status, RunLedger.RunFigures figures)
      throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement update = connection.prepareStatement(FINISH)) {
      update.setString(1, status);
      update.setLong(2, figures.documentsStored() + figures.documentsNoText());
      update.setLong(3, figures.chunksWritten());
      update.setLong(4, figures.vectorsWritten());
      update.setString(5, runId);
      update.executeUpdate();
    }
  }

  /** Every index version, newest first, each with its index and its latest {@code runs} runs. */
  public static List<Version> versions(DatabaseConfig database, int runs) throws SQLException {
    List<Version> versions = new ArrayList<>();
    try (Connection connection = database.connect()) {
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  """
                  SELECT v.pipeline_run_id, v.embedding_model, v.dimension,
                         v.chunk_size || '/' || v.chunk_overlap || ' ' || v.chunk_unit
                             || CASE WHEN v.across_pages THEN ', across pages' ELSE '' END,
                         to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                         i.index_name, i.method, i.vectors_indexed, i.build_seconds,
                         to_char(i.built_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
                  FROM indexing.index_versions v
                  LEFT JOIN indexing.vector_indexes i USING (pipeline_run_id)
                  ORDER BY v.created_at DESC, v.pipeline_run_id""")) {
        while (rows.next()) {
          VectorIndex index =
              rows.getString(6) == null
                  ? null
                  : new VectorIndex(
                      rows.getString(6),
                      rows.getString(7),
                      rows.getLong(8),
                      rows.getDouble(9),
                      rows.getString(10));
          versions.add(
              new Version(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getInt(3),
                  rows.getString(4),
                  rows.getString(5),
                  index,
                  new ArrayList<>()));
        }
      }
      try (PreparedStatement query = connection.prepareStatement(RUNS)) {
        for (Version version : versions) {
          query.setString(1, version.id());
          query.setInt(2, runs);
          try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              version
                  .runs()
                  .add(
                      new Run(
                          rows.getString(1),
                          rows.getString(2),
                          rows.getString(3),
                          rows.getString(4),
                          (Long) rows.getObject(5),
                          (Long) rows.getObject(6),
                          (Long) rows.getObject(7),
                          (Long) rows.getObject(8),
                          (Long) rows.getObject(9),
                          (Long) rows.getObject(10)));
            }
          }
        }
      }
    }
    return versions;
  }
}
