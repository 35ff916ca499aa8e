package io.sluice.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Generates legacy stores in the old tool's layouts, for {@code sluice backfill} without flags and
 * for the tests: every SQLite file and JSON report the backfill knows, with the awkward rows real
 * stores hold (invalid JSON, NULLs, times in several forms, epoch seconds, token rows of equal
 * content, an older table version lacking a column, a time nobody can parse, a report that is not
 * JSON).
 */
public final class LegacySamples {
  public static final String SQLITE = "sqlite";
  public static final String REPORTS = "reports";
  public static final String TOKEN_USAGE_FILE = "ragonometrics_token_usage.sqlite";

  private LegacySamples() {}

  /** Writes {@code <root>/sqlite} and {@code <root>/reports}. */
  public static void writeTo(Path root, int tokenUsageRows) throws IOException, SQLException {
    Path sqlite = Files.createDirectories(root.resolve(SQLITE));
    writeWorkflowState(sqlite.resolve("ragonometrics_workflow_state.sqlite"));
    writeQueryCache(sqlite.resolve("ragonometrics_query_cache.sqlite"));
    createTokenUsage(sqlite.resolve(TOKEN_USAGE_FILE));
    addTokenUsage(sqlite.resolve(TOKEN_USAGE_FILE), 1, tokenUsageRows);
    writeOpenAlex(sqlite.resolve("ragonometrics_openalex.sqlite"));
    writeCitec(sqlite.resolve("ragonometrics_citec.sqlite"));
    writeSemanticScholar(sqlite.resolve("ragonometrics_semantic_scholar.sqlite"));
    writeVectors(sqlite.resolve("vectors_meta.sqlite"));
    writeCitations(sqlite.resolve("doi_network.sqlite"));
    writeReports(Files.createDirectories(root.resolve(REPORTS)));
  }

  /**
   * Appends token usage rows with ids {@code firstId…firstId+count-1}. Rows 1 and 2 have equal
   * content; every 97th row has meta that is not JSON, every 89th none.
   */
  public static void addTokenUsage(Path file, long firstId, long count) throws SQLException {
    try (Connection connection = open(file);
        PreparedStatement insert =
            connection.prepareStatement(
                """
            INSERT INTO token_usage (id, created_at, model, operation, input_tokens,
                output_tokens, total_tokens, session_id, request_id, meta)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
      connection.setAutoCommit(false);
      for (long id = firstId; id < firstId + count; id++) {
        long content = id == 2 ? 1 : id;
        insert.setLong(1, id);
        insert.setString(
            2,
            String.format(
                "2024-%02d-%02dT%02d:%02d:%02d%s",
                1 + content % 12,
                1 + content % 28,
                content % 24,
                content % 60,
                content % 60,
                content % 3 == 0 ? "Z" : content % 3 == 1 ? "+00:00" : ".250000+01:00"));
        insert.setString(3, content % 2 == 0 ? "gpt-5" : "gpt-4.1-mini");
        insert.setString(4, content % 5 == 0 ? "embed" : "answer");
        insert.setLong(5, 100 + content % 900);
        insert.setLong(6, 20 + content % 300);
        insert.setLong(7, 120 + content % 900 + content % 300);
        insert.setString(8, "session-" + content / 50);
        insert.setString(9, "request-" + content);
        insert.setString(
            10,
            content % 89 == 0
                ? null
                : content % 97 == 0
                    ? "meta " + content + " (not JSON)"
                    : "{\"paper\": \"paper-"
                        + content % 40
                        + ".pdf\", \"cached\": "
                        + (content % 4 == 0)
                        + "}");
        insert.addBatch();
        if (id % 10_000 == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
      connection.commit();
    }
  }

  private static void createTokenUsage(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS token_usage (id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT, model TEXT, operation TEXT, input_tokens INTEGER,
            output_tokens INTEGER, total_tokens INTEGER, session_id TEXT, request_id TEXT,
            meta TEXT)""");
  }

  private static void writeWorkflowState(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS workflow_runs (run_id TEXT PRIMARY KEY, created_at TEXT,
            status TEXT, papers_dir TEXT, config_hash TEXT, metadata_json TEXT)""",
        """
        INSERT INTO workflow_runs VALUES
            ('run-1', '2024-03-01T10:00:00+00:00', 'completed', 'papers/', 'c0ffee',
             '{"model": "gpt-5", "top_k": 6}'),
            ('run-2', '2024-03-02 11:30:00', 'failed', NULL, NULL, 'not json {'),
            ('run-3', '2024-03-03T12:00:00.123456Z', 'running', 'papers/', 'c0ffee', NULL)""",
        """
        CREATE TABLE IF NOT EXISTS workflow_steps (run_id TEXT, step TEXT, status TEXT,
            started_at TEXT, finished_at TEXT, output_json TEXT, PRIMARY KEY (run_id, step))""",
        """
        INSERT INTO workflow_steps VALUES
            ('run-1', 'ingest', 'completed', '2024-03-01T10:00:01', '2024-03-01T12:05:00.5+02:00',
             '{"chunks": 12, "ratio": 1.50}'),
            ('run-1', 'report', 'completed', '2024-03-01T10:06:00Z', '2024-03-01T10:07:00Z',
             NULL),
            ('run-2', 'ingest', 'failed', 'yesterday', NULL, 'Traceback: boom')""");
  }

  /** An older version of the table, from before context_hash existed. */
  private static void writeQueryCache(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS query_cache (cache_key TEXT PRIMARY KEY, query TEXT,
            paper_path TEXT, model TEXT, answer TEXT, created_at TEXT)""",
        """
        INSERT INTO query_cache VALUES
            ('q1', 'What is the research question?', 'papers/a.pdf', 'gpt-5',
             'Whether calorie posting changes choices.', '2024-03-01T10:00:00Z'),
            ('q2', 'Main result?', 'papers/b.pdf', 'gpt-5', NULL, '2024-03-01 10:00'),
            ('q3', 'Data?', NULL, NULL, 'Zero-width and NUL: a' || char(0) || 'b',
             '2024-03-01')""");
  }

  /** With a column newer than the backfill knows, which is reported and left out. */
  private static void writeOpenAlex(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS openalex_cache (cache_key TEXT PRIMARY KEY, work_id TEXT,
            query TEXT, response TEXT, fetched_at INTEGER, etag TEXT)""",
        """
        INSERT INTO openalex_cache VALUES
            ('oa1', 'W1', 'calorie posting', '{"id": "W1", "cited_by_count": 120, "x": 1e2}',
             1700000000, 'e1'),
            ('oa2', 'W2', 'ticket resale', '<html>502 Bad Gateway</html>', 1700000100, NULL),
            ('oa3', NULL, 'hygiene grades', NULL, NULL, NULL)""");
  }

  private static void writeCitec(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS citec_cache (cache_key TEXT PRIMARY KEY, repec_handle TEXT,
            response TEXT, fetched_at INTEGER)""",
        """
        INSERT INTO citec_cache VALUES
            ('c1', 'RePEc:aea:aecrev:v:101', '{"citations": 42}', 1700000000),
            ('c2', 'RePEc:ucp:jpolec:v:117', '[1, 2, 3]', 1700000000.5)""");
  }

  private static void writeSemanticScholar(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS semantic_scholar_cache (cache_key TEXT PRIMARY KEY,
            work_id TEXT, query TEXT, response TEXT, fetched_at INTEGER)""",
        """
        INSERT INTO semantic_scholar_cache VALUES
            ('s1', 'S1', 'bundling', '{"paperId": "S1", "title": "Bundle-Size Pricing"}',
             1710000000)""");
  }

  private static void writeVectors(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, text TEXT, page INTEGER,
            start_word INTEGER, end_word INTEGER, doc_id TEXT, pipeline_run_id TEXT,
            created_at TEXT)""",
        """
        INSERT INTO vectors VALUES
            (1, 'Calorie posting reduced calories per transaction by 6%.', 3, 0, 9, 'doc-a',
             'legacy-run', '2024-02-01T00:00:00Z'),
            (2, 'Consumers responded most at coffee chains.', 3, 9, 15, 'doc-a', 'legacy-run',
             '2024-02-01T00:00:00Z'),
            (3, NULL, NULL, NULL, NULL, 'doc-b', NULL, NULL)""");
  }

  /** A citation listed twice, which is one edge. */
  private static void writeCitations(Path file) throws SQLException {
    execute(
        file,
        """
        CREATE TABLE IF NOT EXISTS citations (source_doi TEXT, target_doi TEXT)""",
        """
        INSERT INTO citations VALUES
            ('10.1257/pol.3.1.91', '10.1086/599019'),
            ('10.1257/pol.3.1.91', '10.1086/599019'),
            ('10.1086/599019', '10.2307/1913643')""");
  }

  private static void writeReports(Path reports) throws IOException {
    Files.createDirectories(reports.resolve("2024/03"));
    Files.createDirectories(reports.resolve("broken"));
    Files.writeString(
        reports.resolve("2024/03/workflow-report-run-1.json"),
        """
        {"run_id": "run-1", "status": "completed", "papers_dir": "papers/",
         "started_at": "2024-03-01T10:00:00+00:00", "finished_at": "2024-03-01T10:07:00Z",
         "agentic": {"status": "ok", "report_questions": [
             {"id": "A01", "question": "Research question?", "confidence": "high"},
             {"id": "A02", "question": "Identification?", "confidence": "medium"},
             {"id": "A02", "question": "Identification, asked again?", "confidence": "low"},
             {"question": "no id: stays in the payload only"}]},
         "audit_artifacts": {"markdown": {"path": "reports/audit-run-1.md", "status": "ok"},
                             "pdf": {"path": "reports/audit-run-1.pdf",
                                     "tex_path": "reports/audit-run-1.tex", "status": "ok"}}}
        """,
        StandardCharsets.UTF_8);
    Files.writeString(
        reports.resolve("workflow-report-run-2.json"),
        """
        {"status": "done?", "prep": {"status": "failed"}, "started_at": "not a time"}
        """,
        StandardCharsets.UTF_8);
    Files.writeString(
        reports.resolve("broken/workflow-report-run-9.json"),
        "{\"run_id\": \"run-9\", \"truncated\": ",
        StandardCharsets.UTF_8);
  }

  private static void execute(Path file, String... statements) throws SQLException {
    try (Connection connection = open(file);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static Connection open(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}
