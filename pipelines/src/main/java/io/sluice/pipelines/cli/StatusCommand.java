package io.sluice.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.RunLedger;
import io.sluice.sinks.postgres.StoreIntegrity;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code sluice status}: recent runs with their counts and the latest run's report (failures by
 * class with examples), or one run's report with {@code --run=<id>}.
 */
final class StatusCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusCommand() {}

  static void print(
      RunLedger ledger, DatabaseConfig database, Sluice.StatusOptions options, PrintStream out)
      throws Exception {
    String runId = options.getRun();
    if (runId != null) {
      RunLedger.RunRow row =
          ledger
              .run(runId)
              .orElseThrow(() -> new IllegalArgumentException("no run with id " + runId));
      RunReport.print(out, runId, row.status(), ledger.figures(runId), payload(row));
      return;
    }
    java.util.List<RunLedger.RunRow> runs = ledger.recentRuns(20);
    if (runs.isEmpty()) {
      out.println("no runs yet");
      return;
    }
    out.printf(
        "%-36s  %-10s  %-19s  %8s  %8s  %8s  %8s%n",
        "run", "status", "started", "stored", "skipped", "chunks", "failures");
    for (RunLedger.RunRow run : runs) {
      RunLedger.RunFigures figures = ledger.figures(run.runId());
      Map<String, Object> payload = payload(run);
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
    printIntegrity(StoreIntegrity.orphans(database), out);
    RunLedger.RunRow latest = runs.get(0);
    out.println();
    RunReport.print(
        out, latest.runId(), latest.status(), ledger.figures(latest.runId()), payload(latest));
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

  private static Map<String, Object> payload(RunLedger.RunRow row) throws SQLException {
    try {
      return JSON.readValue(
          row.payload(), new com.fasterxml.jackson.core.type.TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new SQLException("run record " + row.runId() + " holds unreadable JSON", e);
    }
  }
}
