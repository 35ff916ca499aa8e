package io.sluice.sinks.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sinks.ledger.DocumentLedger;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Source;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SQL behind sluice's idempotent document writes: documents, the sources that point at them,
 * their chunks and vectors, and their completed ledger stages. Every statement is an upsert keyed
 * by content-derived keys, so a replayed bundle or a second run rewrites the same rows instead of
 * adding new ones. A batch of documents costs a handful of statements, not a handful per document:
 * rows go in batched multi-row upserts (keys sorted, so that two workers lock in the same order)
 * and one binary COPY per table. Each method runs inside the caller's transaction.
 */
final class DocumentWrites {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunContext run;
  private final DocumentLedger ledger;

  DocumentWrites(RunContext run) {
    this.run = run;
    this.ledger = new DocumentLedger(run);
  }

  /** Documents with their chunks, vectors and completed stages: all of a document, or nothing. */
  void writeDocuments(Connection connection, List<DocumentRecord> records) throws SQLException {
    Map<String, DocumentRecord> byDocId = new TreeMap<>();
    records.forEach(record -> byDocId.putIfAbsent(record.source().docId(), record));
    try (PreparedStatement upsert = connection.prepareStatement(DOCUMENT_UPSERT)) {
      for (DocumentRecord document : byDocId.values()) {
        bindDocument(
            upsert,
            document.source(),
            document.metadata().pages(),
            json(document.metadata()),
            document.hasText() ? "ok" : "no_text",
            null);
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
    pointSourcesAt(connection, records.stream().map(DocumentRecord::source).toList());
    insertChunksAndVectors(connection, byDocId.values());
    ledger.complete(connection, byDocId.values());
  }

  /**
   * Sources seen again whose documents are already settled: only the source rows change. A document
   * settled by a failure after extraction (a store refused it) has no row to point at; its ledger
   * stage and dead letter already say what became of it.
   */
  void recordSightings(Connection connection, List<Source> sources) throws SQLException {
    Set<String> stored =
        docIdsAmong(
            connection,
            "SELECT doc_id FROM ingestion.documents WHERE doc_id = ANY (?)"
                + " ORDER BY doc_id FOR SHARE",
            sources.stream().map(Source::docId).toList());
    List<Source> pointing =
        sources.stream().filter(source -> stored.contains(source.docId())).toList();
    if (!pointing.isEmpty()) {
      pointSourcesAt(connection, pointing);
    }
  }

  /**
   * The row of a document that failed extraction, with its failure as its status. A failure never
   * overwrites a document that another source already stored (the same bytes cannot be both); the
   * source points at it.
   */
  void recordFailedDocument(Connection connection, Source source, String status, String message)
      throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(DOCUMENT_UPSERT)) {
      bindDocument(upsert, source, null, "{}", status, message);
      upsert.executeUpdate();
    }
    pointSourcesAt(connection, List.of(source));
  }

  private static final String DOCUMENT_UPSERT =
      """
      INSERT INTO ingestion.documents
          (doc_id, size_bytes, pages, metadata, status, error_message, first_run_id, run_id)
      VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?)
      ON CONFLICT (doc_id) DO UPDATE SET
          pages = EXCLUDED.pages, metadata = EXCLUDED.metadata, status = EXCLUDED.status,
          error_message = EXCLUDED.error_message, run_id = EXCLUDED.run_id, updated_at = now()
      WHERE EXCLUDED.status IN ('ok', 'no_text')
         OR ingestion.documents.status NOT IN ('ok', 'no_text')""";

  /** {@code first_run_id} keeps the first run: an update never sets it. */
  private void bindDocument(
      PreparedStatement upsert,
      Source source,
      Integer pages,
      String metadata,
      String status,
      String errorMessage)
      throws SQLException {
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
  }

  /**
   * Points each source URI at its (current) document. When a URI pointed at other bytes before and
   * no source points at that old document any more, the old document goes, with its chunks, vectors
   * and ledger: stale chunks never outlive their source.
   */
  private void pointSourcesAt(Connection connection, List<Source> sources) throws SQLException {
    Map<String, Source> byUri = new TreeMap<>();
    sources.forEach(source -> byUri.put(source.uri(), source));
    Map<String, String> previous = new HashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            """
        SELECT source_uri, doc_id FROM ingestion.sources WHERE source_uri = ANY (?)
        ORDER BY source_uri FOR UPDATE""")) {
      query.setArray(1, texts(connection, byUri.keySet()));
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          previous.put(result.getString(1), result.getString(2));
        }
      }
    }
    try (PreparedStatement upsert =
        connection.prepareStatement(
            """
        INSERT INTO ingestion.sources
            (source_uri, doc_id, size_bytes, first_seen_run_id, last_seen_run_id)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (source_uri) DO UPDATE SET
            doc_id = EXCLUDED.doc_id, size_bytes = EXCLUDED.size_bytes,
            last_seen_run_id = EXCLUDED.last_seen_run_id, updated_at = now()""")) {
      for (Source source : byUri.values()) {
        upsert.setString(1, source.uri());
        upsert.setString(2, source.docId());
        upsert.setLong(3, source.sizeBytes());
        upsert.setString(4, run.runId());
        upsert.setString(5, run.runId());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
    Set<String> replaced = new java.util.TreeSet<>();
    previous.forEach(
        (uri, docId) -> {
          if (!docId.equals(byUri.get(uri).docId())) {
            replaced.add(docId);
          }
        });
    for (String docId : replaced) {
      DocumentRemoval.removeIfUnreferenced(connection, docId, run.runId());
    }
  }

  /**
   * The chunks and their vectors, sent with binary COPY (a vector travels as four-byte floats, not
   * as decimal text the server must parse). Documents are written whole, under their rows' locks,
   * so each has either all of its chunks and vectors or none: when none, its rows are copied
   * straight into their tables; otherwise (a replayed bundle, a second run racing this one, a new
   * index version over stored chunks) they go through staging tables and an upsert that keeps what
   * is there.
   */
  private void insertChunksAndVectors(Connection connection, Collection<DocumentRecord> documents)
      throws SQLException {
    List<DocumentRecord> withChunks =
        documents.stream().filter(document -> !document.chunks().isEmpty()).toList();
    if (withChunks.isEmpty()) {
      return;
    }
    // Which of the documents have any chunk stored (a vector cannot be, without its chunk).
    Set<String> stored =
        docIdsAmong(
            connection,
            "SELECT DISTINCT doc_id FROM indexing.chunks WHERE doc_id = ANY (?)",
            withChunks.stream().map(document -> document.source().docId()).toList());
    ChunkCopyRows fresh = new ChunkCopyRows(run.runId(), run.indexVersionId());
    ChunkCopyRows again = new ChunkCopyRows(run.runId(), run.indexVersionId());
    for (DocumentRecord document : withChunks) {
      ChunkCopyRows rows = stored.contains(document.source().docId()) ? again : fresh;
      for (Chunk chunk : document.chunks()) {
        rows.add(document.source().docId(), chunk);
      }
    }
    if (!fresh.isEmpty()) {
      fresh.copyInto(connection, "indexing.chunks", "indexing.vectors");
    }
    if (again.isEmpty()) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          """
          CREATE TEMP TABLE IF NOT EXISTS staged_chunks
              (LIKE indexing.chunks INCLUDING DEFAULTS) ON COMMIT DELETE ROWS""");
      statement.execute(
          """
          CREATE TEMP TABLE IF NOT EXISTS staged_vectors
              (LIKE indexing.vectors INCLUDING DEFAULTS) ON COMMIT DELETE ROWS""");
      again.copyInto(connection, "staged_chunks", "staged_vectors");
      statement.execute(
          """
          INSERT INTO indexing.chunks SELECT * FROM staged_chunks
          ON CONFLICT (chunk_id) DO NOTHING""");
      statement.execute(
          """
          INSERT INTO indexing.vectors SELECT * FROM staged_vectors
          ON CONFLICT (chunk_id, pipeline_run_id) DO NOTHING""");
    }
  }

  /** The doc ids {@code query} answers, one a row, for the doc ids bound as its one array. */
  private static Set<String> docIdsAmong(
      Connection connection, String query, Collection<String> docIds) throws SQLException {
    Set<String> found = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setArray(1, texts(connection, docIds));
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          found.add(result.getString(1));
        }
      }
    }
    return found;
  }

  private static Array texts(Connection connection, Collection<String> values) throws SQLException {
    return connection.createArrayOf("text", new ArrayList<>(values).toArray());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
    }
  }
}
