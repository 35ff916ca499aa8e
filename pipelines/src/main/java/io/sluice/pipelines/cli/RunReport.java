package io.sluice.pipelines.cli;

import io.sluice.sinks.postgres.RunLedger;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The short report a person reads at the end of a run and in {@code sluice status --run=…}. */
final class RunReport {
  private RunReport() {}

  static void print(
      PrintStream out,
      String runId,
      String status,
      RunLedger.RunFigures figures,
      Map<String, Object> summary) {
    double seconds = ((Number) summary.getOrDefault("wall_seconds", 0.0)).doubleValue();
    if ("backfill".equals(summary.get("kind"))) {
      printBackfill(out, runId, status, seconds, summary);
      printFailures(out, figures);
      return;
    }
    long embedded = ((Number) summary.getOrDefault("chunks_embedded", 0L)).longValue();
    long pages = ((Number) summary.getOrDefault("pages_extracted", 0L)).longValue();
    out.printf("run %s %s in %.1f s%n", runId, status, seconds);
    out.printf("  %-26s %8d%n", "files matched", number(summary, "files_matched"));
    out.printf("  %-26s %8d%n", "sources seen", figures.sourcesSeen());
    out.printf("  %-26s %8d%n", "skipped (already settled)", number(summary, "documents_skipped"));
    if (number(summary, "documents_redone") > 0) {
      out.printf(
          "  %-26s %8d   left in progress by an earlier run that did not finish%n",
          "redone", number(summary, "documents_redone"));
    }
    out.printf(
        "  %-26s %8d   pages extracted %d (%.1f pages/s)%n",
        "documents stored", figures.documentsStored(), pages, seconds > 0 ? pages / seconds : 0);
    out.printf("  %-26s %8d%n", "no text layer (OCR)", figures.documentsNoText());
    out.printf(
        "  %-26s %8d   embeddings computed %d (%.1f chunks/s)%n",
        "chunks written", figures.chunksWritten(), embedded, seconds > 0 ? embedded / seconds : 0);
    out.printf(
        "  %-26s %8d   texts whose stored vector was taken instead of embedding them again%n",
        "vectors reused", number(summary, "vectors_reused"));
    if (number(summary, "documents_pruned") > 0) {
      out.printf("  %-26s %8d%n", "documents pruned", number(summary, "documents_pruned"));
    }
    if (summary.get("prune_held_back") != null) {
      out.printf(
          "  %-26s %8d   held back: %s%n", "documents pruned", 0, summary.get("prune_held_back"));
    }
    printFailures(out, figures);
    for (Object line : (List<?>) summary.getOrDefault("vector_search", List.of())) {
      out.printf("  %-26s %s%n", "vector search", line);
    }
  }

  /** A backfill's run record: what each source moved and whether its parity held. */
  @SuppressWarnings("unchecked")
  private static void printBackfill(
      PrintStream out, String runId, String status, double seconds, Map<String, Object> summary) {
    out.printf("backfill %s %s in %.1f s%n", runId, status, seconds);
    Map<String, Map<String, Object>> moved =
        (Map<String, Map<String, Object>>) summary.getOrDefault("moved", Map.of());
    for (Map<String, Object> source :
        (List<Map<String, Object>>) summary.getOrDefault("parity", List.of())) {
      Map<String, Object> figures = moved.getOrDefault(source.get("group"), Map.of());
      Map<String, Object> comparison =
          (Map<String, Object>) Objects.requireNonNullElse(source.get("comparison"), Map.of());
      out.printf(
          "  %-62s read %s, written %s, unchanged %s; %s%n",
          source.get("group"),
          figures.getOrDefault("read", "-"),
          figures.getOrDefault("written", "-"),
          figures.getOrDefault("unchanged", "-"),
          source.get("error") != null
              ? "UNVERIFIED " + source.get("error")
              : number(comparison, "missing") + number(comparison, "differing") == 0
                  ? "parity holds"
                  : "MISMATCH, e.g. " + comparison.get("examples"));
    }
  }

  private static void printFailures(PrintStream out, RunLedger.RunFigures figures) {
    out.printf("  %-26s %8d%n", "failures", figures.failures());
    for (Map.Entry<String, Long> failureClass : figures.failuresByClass().entrySet()) {
      out.printf("    %-24s %8d%n", failureClass.getKey(), failureClass.getValue());
      List<String> examples = figures.failureExamples().get(failureClass.getKey());
      for (String example : examples) {
        out.printf("      e.g. %s%n", example);
      }
    }
  }

  private static long number(Map<String, Object> summary, String key) {
    return ((Number) summary.getOrDefault(key, 0L)).longValue();
  }
}
