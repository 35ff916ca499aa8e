package io.sluice.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every stage of a document as the ledger holds it: named by its doc_id, a source URI (a path is
 * taken as its {@code file://} URI) or a glob over source URIs ({@code *} and {@code ?}), each
 * stage with its status, attempts, real start and finish, failure class and message, and the run
 * that did it; and the failures recorded for its sources. Found through indexes: doc_id keys, the
 * source URI primary key (a glob's literal prefix narrows it), the failures' source URIs.
 */
public final class DocumentStatus {
  private static final Pattern DOC_ID = Pattern.compile("[0-9a-f]{64}");

  /** One stage row of the ledger. */
  public record Stage(
      String stage,
      String indexVersion,
      String status,
      int attempts,
      @Nullable String startedAt,
      @Nullable String finishedAt,
      @Nullable Double seconds,
      @Nullable String errorClass,
      @Nullable String message,
      String runId) {}

  /** A failure recorded for one of the document's sources. */
  public record FailureRow(
      String runId,
      String sourceUri,
      String stage,
      String errorClass,
      boolean retryable,
      String message,
      String createdAt) {}

  /** A document, where it was found, its outcome and its stages, oldest version first. */
  public record Document(
      String docId,
      List<String> sources,
      @Nullable String status,
      @Nullable Integer pages,
      List<Stage> stages,
      List<FailureRow> failures) {}

  private DocumentStatus() {}

  /** The documents {@code what} names, at most {@code limit} of them, by doc_id. */
  public static List<Document> find(DatabaseConfig database, String what, int limit)
      throws SQLException {
    try (Connection connection = database.connect()) {
      List<Document> documents = new ArrayList<>();
      for (String docId : docIds(connection, what, limit)) {
        documents.add(document(connection, docId));
      }
      return documents;
    }
  }

  private static Set<String> docIds(Connection connection, String what, int limit)
      throws SQLException {
    Set<String> ids = new LinkedHashSet<>();
    if (DOC_ID.matcher(what).matches()) {
      ids.add(what);
      return ids;
    }
    boolean glob = what.contains("*") || what.contains("?");
    String uri = what.startsWith("/") ? "file://" + what : what;
    String match = glob ? "source_uri LIKE ? ESCAPE '\\'" : "source_uri = ?";
    String value = glob ? like(uri) : uri;
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT doc_id FROM (SELECT doc_id, source_uri FROM ingestion.sources WHERE "
                + match
                + " UNION SELECT doc_id, source_uri FROM observability.request_failures WHERE "
                + match
                + " AND doc_id IS NOT NULL) found GROUP BY doc_id ORDER BY min(source_uri)"
                + " LIMIT ?")) {
      query.setString(1, value);
      query.setString(2, value);
      query.setInt(3, limit);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
    }
    return ids;
  }

  /** A glob as a LIKE pattern: {@code *} and {@code ?} become {@code %} and {@code _}. */
  static String like(String glob) {
    StringBuilder pattern = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> pattern.append('%');
        case '?' -> pattern.append('_');
        case '%', '_', '\\' -> pattern.append('\\').append(c);
        default -> pattern.append(c);
      }
    }
    return pattern.toString();
  }

  private static Document document(Connection connection, String docId) throws SQLException {
    List<String> sources = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT source_uri FROM ingestion.sources WHERE doc_id = ? ORDER BY source_uri")) {
      query.setString(1, docId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          sources.add(rows.getString(1));
        }
      }
    }
    String status = null;
    Integer pages = null;
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT status, pages FROM ingestion.documents WHERE doc_id = ?")) {
      query.setString(1, docId);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          status = rows.getString(1);
          pages = (Integer) rows.getObject(2);
        }
      }
    }
    return new Document(
        docId, sources, status, pages, stages(connection, docId), failures(connection, docId));
  }

  private static List<Stage> stages(Connection connection, String docId) throws SQLException {
    List<Stage> stages = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            """
            SELECT stage, pipeline_run_id, status, attempts, started_at::text, finished_at::text,
                   extract(epoch FROM finished_at - started_at)::float8, error_class,
                   error_message, run_id
            FROM workflow.document_stages WHERE doc_id = ?
            ORDER BY pipeline_run_id, array_position(ARRAY['extract','chunk','embed','store'],
                                                     stage)""")) {
      query.setString(1, docId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          stages.add(
              new Stage(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getInt(4),
                  rows.getString(5),
                  rows.getString(6),
                  (Double) rows.getObject(7),
                  rows.getString(8),
                  rows.getString(9),
                  rows.getString(10)));
        }
      }
    }
    return stages;
  }

  private static List<FailureRow> failures(Connection connection, String docId)
      throws SQLException {
    List<FailureRow> failures = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            """
            SELECT run_id, source_uri, stage, error_class, retryable, message, created_at::text
            FROM observability.request_failures WHERE doc_id = ?
            ORDER BY created_at, source_uri""")) {
      query.setString(1, docId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          failures.add(
              new FailureRow(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getBoolean(5),
                  rows.getString(6),
                  rows.getString(7)));
        }
      }
    }
    return failures;
  }
}
