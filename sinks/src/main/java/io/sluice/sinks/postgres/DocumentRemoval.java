package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Removes a document and everything derived from it (vectors, chunks, ledger rows) once no source
 * points at it, and records what went in {@code indexing.document_removals} for the run's build
 * history, in the same transaction. The document row is locked first, so a concurrent writer that
 * points a new source at the same document waits for this decision instead of racing it.
 */
public final class DocumentRemoval {
  private DocumentRemoval() {}

  /** Whether the document was removed. */
  public static boolean removeIfUnreferenced(Connection connection, String docId, String runId)
      throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement(
            "SELECT 1 FROM ingestion.documents WHERE doc_id = ? FOR UPDATE")) {
      lock.setString(1, docId);
      lock.executeQuery().close();
    }
    try (PreparedStatement referenced =
        connection.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM ingestion.sources WHERE doc_id = ?)")) {
      referenced.setString(1, docId);
      try (ResultSet result = referenced.executeQuery()) {
        result.next();
        if (result.getBoolean(1)) {
          return false;
        }
      }
    }
    long[] removed = new long[4];
    String[] deletes = {
      "DELETE FROM indexing.vectors WHERE chunk_id IN "
          + "(SELECT chunk_id FROM indexing.chunks WHERE doc_id = ?)",
      "DELETE FROM indexing.chunks WHERE doc_id = ?",
      "DELETE FROM workflow.document_stages WHERE doc_id = ?",
      "DELETE FROM ingestion.documents WHERE doc_id = ?"
    };
    for (int i = 0; i < deletes.length; i++) {
      try (PreparedStatement statement = connection.prepareStatement(deletes[i])) {
        statement.setString(1, docId);
        removed[i] = statement.executeLargeUpdate();
      }
    }
    try (PreparedStatement record =
        connection.prepareStatement(
            "INSERT INTO indexing.document_removals (doc_id, run_id, chunks, vectors)"
                + " VALUES (?, ?, ?, ?)")) {
      record.setString(1, docId);
      record.setString(2, runId);
      record.setLong(3, removed[1]);
      record.setLong(4, removed[0]);
      record.executeUpdate();
    }
    return true;
  }
}
