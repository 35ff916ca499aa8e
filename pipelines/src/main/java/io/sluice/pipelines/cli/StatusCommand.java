package io.sluice.pipelines.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.DocumentStatus;
import io.sluice.sinks.postgres.IndexHistory;
import io.sluice.sinks.postgres.RunLedger;
import io.sluice.sinks.postgres.StoreIntegrity;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code sluice status}: recent runs with their counts and the latest run's report (failures by
 * class with examples), one run's report with {@code --run=<id>}, or every stage of some documents
 * with {@code --doc=<doc_id|source URI|glob>} (exit 1 when none matches), or the index versions
 * with their pgvector index and build history with {@code --indexVersions}.
 */
final class StatusCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Figures an older sluice recorded may have fields this one no longer has.
  private static final ObjectMapper RECORDED =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final int DOCUMENTS_SHOWN = 20;
  private static final int RUNS_PER_VERSION = 10;

  private StatusCommand() {}

  static int print(
      RunLedger ledger, DatabaseConfig database, Sluice.StatusOptions options, PrintStream out)
      throws Exception {
    if (options.getDoc() != null) {
      return documents(database, options, out);
    }
    if (options.getIndexVersions()) {
      return indexVersions(database, options, out);
    }
    String runId = options.getRun();
    if (runId != null) {
      RunLedger.RunRow row =
          ledger
              .run(runId)
              .orElseThrow(() -> new IllegalArgumentException("no run with id " + runId));
      Map<String, Object> payload = payload(row);
      RunReport.print(out, runId, row.status(), figures(ledger, row, payload), payload);
      return 0;
    }
    java.util.List<RunLedger.RunRow> runs = ledger.recentRuns(20);
    if (runs.isEmpty()) {
      out.println("no runs yet");
      return 0;
    }
    out.printf(
        "%-36s  %-10s  %-19s  %8s  %8s  %8s  %8s%n",
        "run", "status", "started", "stored", "skipped", "chunks", "failures");
    // The latest run's report below reuses its figures: a running one's are counted once.
    Map<String, RunLedger.RunFigures> figuresByRun = new java.util.HashMap<>();
    for (RunLedger.RunRow run : runs) {
      Map<String, Object> payload = payload(run);
      RunLedger.RunFigures figures = figures(ledger, run, payload);
      figuresByRun.put(run.runId(), figures);
      out.printf(
          "%-36s  %-10s  %-19s  %8d  %8s  %8d  %8d%n",
          run.runId(),
          run.status(),
          run.startedAt() == null ? "" : run.startedAt().substring(0, 19),
          figures.documentsStored() + figures.documentsNoText(),
          payload.getOrDefault("documents_skipped", "-"),
          figures.chunksWritten(),
          figures.failures());
    }
    Duration staleAfter = Duration.ofMinutes(options.getStaleAfterMinutes());
    RunLedger.LedgerState ledgerState = ledger.state(staleAfter);
    out.printf(
        "%nledger: %d documents in progress, %d of them stale (claimed over %d min ago;"
            + " the next ingest redoes them), %d quarantined%n",
        ledgerState.inProgress(),
        ledgerState.stale(),
        staleAfter.toMinutes(),
        ledgerState.quarantined());
    if (options.getIntegrity()) {
      printIntegrity(StoreIntegrity.orphans(database), out);
    }
    RunLedger.RunRow latest = runs.get(0);
    out.println();
    RunReport.print(
        out, latest.runId(), latest.status(), figuresByRun.get(latest.runId()), payload(latest));
    return 0;
  }

  private static int documents(
      DatabaseConfig database, Sluice.StatusOptions options, PrintStream out) throws Exception {
    List<DocumentStatus.Document> documents =
        DocumentStatus.find(database, options.getDoc(), DOCUMENTS_SHOWN);
    if (documents.isEmpty()) {
      out.println("no document matches " + options.getDoc());
      return 1;
    }
    for (DocumentStatus.Document document : documents) {
      if (options.getJson()) {
        out.println(JSON.writeValueAsString(document));
        continue;
      }
      out.printf(
          "document %s  %s%s%n",
          document.docId(),
          document.status() == null ? "(not stored)" : document.status(),
          document.pages() == null ? "" : ", " + document.pages() + " pages");
      document.sources().forEach(source -> out.printf("  source   %s%n", source));
      out.printf(
          "  %-8s %-19s %-11s %8s  %-29s %-29s %9s  %s%n",
          "stage", "index version", "status", "attempts", "started", "finished", "took", "run");
      for (DocumentStatus.Stage stage : document.stages()) {
        out.printf(
            "  %-8s %-19s %-11s %8d  %-29s %-29s %9s  %s%s%n",
            stage.stage(),
            stage.indexVersion(),
            stage.status(),
            stage.attempts(),
            orDash(stage.startedAt()),
            orDash(stage.finishedAt()),
            stage.seconds() == null
                ? "-"
                : String.format(java.util.Locale.ROOT, "%.3f s", stage.seconds()),
            stage.runId(),
            stage.errorClass() == null
                ? ""
                : "  " + stage.errorClass() + ": " + orDash(stage.message()));
      }
      for (DocumentStatus.FailureRow failure : document.failures()) {
        out.printf(
            "  failure  %s at %s: %s (%s) %s  run %s%n",
            failure.sourceUri(),
            failure.stage(),
            failure.errorClass(),
            failure.retryable() ? "retryable" : "settled",
            failure.message(),
            failure.runId());
      }
    }
    if (documents.size() == DOCUMENTS_SHOWN) {
      out.printf("(the first %d documents; name fewer)%n", DOCUMENTS_SHOWN);
    }
    return 0;
  }

  private static int indexVersions(
      DatabaseConfig database, Sluice.StatusOptions options, PrintStream out) throws Exception {
    List<IndexHistory.Version> versions = IndexHistory.versions(database, RUNS_PER_VERSION);
    if (versions.isEmpty()) {
      out.println("no index versions yet");
      return 0;
    }
    for (IndexHistory.Version version : versions) {
      if (options.getJson()) {
        out.println(JSON.writeValueAsString(version));
        continue;
      }
      out.printf(
          "index version %s  %s, %d dimensions, chunks %s, created %s%n",
          version.id(),
          version.embeddingModel(),
          version.dimension(),
          version.chunking(),
          version.createdAt());
      IndexHistory.VectorIndex index = version.index();
      out.println(
          index == null
              ? "  index    none (exact search)"
              : String.format(
                  java.util.Locale.ROOT,
                  "  index    %s %s over %d vectors, built %s in %.1f s",
                  index.method(),
                  index.indexName(),
                  index.vectorsIndexed(),
                  index.builtAt(),
                  index.buildSeconds()));
      out.printf(
          "  %-36s  %-10s  %-19s  %-19s  %17s  %17s  %17s%n",
          "run", "status", "started", "finished", "documents +/-", "chunks +/-", "vectors +/-");
      for (IndexHistory.Run run : version.runs()) {
        out.printf(
            "  %-36s  %-10s  %-19s  %-19s  %17s  %17s  %17s%n",
            run.runId(),
            run.status(),
            run.startedAt(),
            orDash(run.finishedAt()),
            plusMinus(run.documentsAdded(), run.documentsRemoved()),
            plusMinus(run.chunksAdded(), run.chunksRemoved()),
            plusMinus(run.vectorsAdded(), run.vectorsRemoved()));
      }
    }
    return 0;
  }

  private static String plusMinus(Long added, Long removed) {
    return added == null ? "-" : "+" + added + " / -" + removed;
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static void printIntegrity(StoreIntegrity.Orphans orphans, PrintStream out) {
    if (orphans.none()) {
      out.println("integrity: every chunk has its document, every vector its chunk and version");
      return;
    }
    out.printf(
        "integrity: BROKEN — %d chunks without their document, %d vectors without their chunk,"
            + " %d vectors without their index version (rows changed outside sluice?)%n",
        orphans.chunksWithoutDocument(),
        orphans.vectorsWithoutChunk(),
        orphans.vectorsWithoutIndexVersion());
  }

  /**
   * A finished run's figures as its ingest recorded them when it ended; a running one's (or one
   * that ended without them) counted now. Counting is proportional to the run's rows: at ten
   * million chunks, twenty runs counted on every {@code status} took seconds.
   */
  private static RunLedger.RunFigures figures(
      RunLedger ledger, RunLedger.RunRow run, Map<String, Object> payload) throws SQLException {
    Object recorded = payload.get("figures");
    if (!run.status().equals("running") && recorded != null) {
      try {
        return RECORDED.convertValue(recorded, RunLedger.RunFigures.class);
      } catch (IllegalArgumentException unreadable) {
        // Figures in a shape this version does not read: count them instead.
      }
    }
    return ledger.figures(run.runId());
  }

  private static Map<String, Object> payload(RunLedger.RunRow row) throws SQLException {
    try {
      return JSON.readValue(
          row.payload(), new com.fasterxml.jackson.core.type.TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new SQLException("run record " + row.runId() + " holds unreadable JSON", e);
    }
  }
}
