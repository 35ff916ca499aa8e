package io.sluice.bench;

import io.sluice.sinks.postgres.DatabaseConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A store the shape of a big ingest, written with COPY instead of ingesting (which would take days
 * at this size): {@code chunks} chunk rows of 20 per document, spread over 20 runs of one index
 * version, each document with its source and four completed stages, and a failed source per 100
 * documents. What {@code sluice status} and the progress line read is there in its real proportion;
 * vectors are not (status and progress never read them, and ten million would take 15 GB). The
 * finished runs hold the figures an ingest records when it ends; the last run is still running, as
 * the one a progress line follows.
 */
final class SyntheticStore {
  static final int RUNS = 20;
  static final int CHUNKS_PER_DOCUMENT = 20;
  static final String INDEX_VERSION = "iv-00000000005ca1e0";
  private static final int FAILURE_EVERY = 100;
  private static final int ROWS_PER_WRITE = 20_000;

  /** What was written: counts, the last run (the one a progress line would follow) and a source. */
  record Shape(long chunks, long documents, String lastRun, String aSource) {}

  private SyntheticStore() {}

  static String runId(long document, long documents) {
    return String.format("scale-run-%02d", 1 + document * RUNS / documents);
  }

  private static String docId(long document) {
    return String.format("%064x", document);
  }

  static String sourceUri(long document, long documents) {
    return String.format("file:///scale/%s/doc-%08d.pdf", runId(document, documents), document);
  }

  static Shape write(DatabaseConfig database, long chunks) throws SQLException, IOException {
    long documents = chunks / CHUNKS_PER_DOCUMENT;
    try (Connection connection = database.connect()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "INSERT INTO indexing.index_versions (pipeline_run_id, embedding_model, dimension,"
                + " chunk_size, chunk_overlap, chunk_unit, across_pages) VALUES ('"
                + INDEX_VERSION
                + "', 'all-minilm-l6-v2-q', 384, 120, 16, 'model-tokens', false)");
        // Finished runs with the figures an ingest records when it ends; the last one running.
        long perRun = documents / RUNS;
        for (int run = 1; run <= RUNS; run++) {
          boolean running = run == RUNS;
          String figures =
              String.format(
                  "{\"figures\": {\"sourcesSeen\": %d, \"documentsStored\": %d,"
                      + " \"documentsNoText\": 0, \"chunksWritten\": %d, \"vectorsWritten\": 0,"
                      + " \"failures\": %d, \"failuresByClass\": {\"corrupt (permanent)\": %d},"
                      + " \"failureExamples\": {\"corrupt (permanent)\": [\"synthetic\"]}}}",
                  perRun,
                  perRun,
                  perRun * CHUNKS_PER_DOCUMENT,
                  perRun / FAILURE_EVERY,
                  perRun / FAILURE_EVERY);
          statement.execute(
              String.format(
                  "INSERT INTO workflow.run_records (run_id, record_kind, step, record_key,"
                      + " status, started_at, finished_at, payload) VALUES ('scale-run-%02d',"
                      + " 'run', '', 'main', '%s', now() - interval '%d hours', %s, '%s')",
                  run,
                  running ? "running" : "completed",
                  2 * (RUNS - run) + 2,
                  running ? "NULL" : "now() - interval '" + (2 * (RUNS - run) + 1) + " hours'",
                  running ? "{}" : figures));
        }
      }
      PGConnection copies = connection.unwrap(PGConnection.class);
      copy(
          copies,
          "COPY ingestion.documents (doc_id, size_bytes, pages, status, first_run_id, run_id)"
              + " FROM STDIN",
          documents,
          (row, d) ->
              row.append(docId(d))
                  .append("\t250000\t10\tok\t")
                  .append(runId(d, documents))
                  .append('\t')
                  .append(runId(d, documents)));
      copy(
          copies,
          "COPY ingestion.sources (source_uri, doc_id, size_bytes, first_seen_run_id,"
              + " last_seen_run_id) FROM STDIN",
          documents,
          (row, d) ->
              row.append(sourceUri(d, documents))
                  .append('\t')
                  .append(docId(d))
                  .append("\t250000\t")
                  .append(runId(d, documents))
                  .append('\t')
                  .append(runId(d, documents)));
      copy(
          copies,
          "COPY indexing.chunks (chunk_id, doc_id, page, ordinal, char_start, char_end,"
              + " token_count, text, text_sha256, run_id) FROM STDIN",
          chunks,
          (row, c) -> {
            long d = Math.min(c / CHUNKS_PER_DOCUMENT, documents - 1);
            int ordinal = (int) (c % CHUNKS_PER_DOCUMENT);
            row.append(String.format("%064x", c | (1L << 62)))
                .append('\t')
                .append(docId(d))
                .append('\t')
                .append(1 + ordinal / 2)
                .append('\t')
                .append(ordinal)
                .append('\t')
                .append(ordinal * 600L)
                .append('\t')
                .append(ordinal * 600L + 580)
                .append("\t120\tsynthetic chunk ")
                .append(ordinal)
                .append(" of document ")
                .append(d)
                .append(", the words a manual page would hold\t")
                .append(String.format("%064x", c | (1L << 61)))
                .append('\t')
                .append(runId(d, documents));
          });
      String[] stages = {"extract", "chunk", "embed", "store"};
      copy(
          copies,
          "COPY workflow.document_stages (doc_id, pipeline_run_id, stage, status, attempts,"
              + " run_id, started_at, finished_at) FROM STDIN",
          documents * stages.length,
          (row, s) -> {
            long d = s / stages.length;
            row.append(docId(d))
                .append('\t')
                .append(INDEX_VERSION)
                .append('\t')
                .append(stages[(int) (s % stages.length)])
                .append("\tcompleted\t1\t")
                .append(runId(d, documents))
                .append("\t2026-01-01 00:00:00+00\t2026-01-01 00:00:01+00");
          });
      copy(
          copies,
          "COPY observability.request_failures (run_id, source_uri, stage, error_class,"
              + " retryable, message, run_started_at) FROM STDIN",
          documents / FAILURE_EVERY,
          (row, f) ->
              row.append(runId(f * FAILURE_EVERY, documents))
                  .append('\t')
                  .append(sourceUri(f * FAILURE_EVERY, documents).replace(".pdf", "-broken.pdf"))
                  .append("\textract\tcorrupt\tf\tsynthetic: damaged PDF\t2026-01-01 00:00:00+00"));
      try (Statement statement = connection.createStatement()) {
        // As autovacuum leaves a table that has settled: statistics and the visibility map.
        statement.execute("VACUUM ANALYZE");
      }
    }
    return new Shape(
        chunks, documents, runId(documents - 1, documents), sourceUri(documents / 2, documents));
  }

  /** One text-format row, without its newline. */
  private interface Row {
    void write(StringBuilder row, long index);
  }

  private static void copy(PGConnection connection, String sql, long rows, Row row)
      throws SQLException {
    CopyIn copy = connection.getCopyAPI().copyIn(sql);
    try {
      StringBuilder text = new StringBuilder(1 << 20);
      for (long i = 0; i < rows; i++) {
        row.write(text, i);
        text.append('\n');
        if ((i + 1) % ROWS_PER_WRITE == 0 || i == rows - 1) {
          byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(bytes, 0, bytes.length);
          text.setLength(0);
        }
      }
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }
}
