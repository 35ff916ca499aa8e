package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Removes a document and everything derived from it (vectors, chunks, ledger rows) once no source
 * points at it. The document row is locked first, so a concurrent writer that points a new source
 * at the same document waits for this decision instead of racing it.
 */
public final class DocumentRemoval {
  private DocumentRemoval() {}

  /** Whether the document was removed. */
  public static boolean removeIfUnreferenced(Connection connection, String docId)
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
    for (String delete :
        new String[] {
          "DELETE FROM indexing.vectors WHERE chunk_id IN "
              + "(SELECT chunk_id FROM indexing.chunks WHERE doc_id = ?)",
          "DELETE FROM indexing.chunks WHERE doc_id = ?",
          "DELETE FROM workflow.document_stages WHERE doc_id = ?",
          "DELETE FROM ingestion.documents WHERE doc_id = ?"
        }) {
      try (PreparedStatement statement = connection.prepareStatement(delete)) {
        statement.setString(1, docId);
        statement.executeUpdate();
      }
    }
    return true;
  }
}
