package io.sluice.pipelines.cli;

import io.sluice.pipelines.backfill.ParityCheck.SourceParity;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The parity table a backfill ends with: per source, its rows, what this run read, wrote and found
 * unchanged, what was skipped (with reasons below) and what does not match its target.
 */
final class ParityTable {
  /** This run's figures for one source; absent for sources it did not read. */
  record Moved(long read, long written, long unchanged) {}

  private static final String ROW = "  %-62s %9s %9s %9s %9s %9s %10s%n";

  private ParityTable() {}

  static void print(PrintStream out, List<SourceParity> sources, Map<String, Moved> moved) {
    out.printf(ROW, "source", "rows", "read", "written", "unchanged", "skipped", "mismatched");
    for (SourceParity source : sources) {
      Moved figures = moved.get(source.group());
      out.printf(
          ROW,
          source.group(),
          source.sourceRows(),
          figures == null ? "-" : figures.read(),
          figures == null ? "-" : figures.written(),
          figures == null ? "-" : figures.unchanged(),
          source.skippedRows(),
          source.error() != null ? "?" : source.comparison().mismatched());
    }
    for (SourceParity source : sources) {
      source
          .skipped()
          .forEach(
              (reason, count) ->
                  out.printf("  skipped   %s: %d × %s%n", source.group(), count, reason));
      if (source.error() != null) {
        out.printf("  UNVERIFIED %s: %s%n", source.group(), source.error());
      } else if (source.comparison().mismatched() > 0) {
        out.printf(
            "  MISMATCH  %s: %d missing, %d different in the target, e.g. %s%n",
            source.group(),
            source.comparison().missing(),
            source.comparison().differing(),
            String.join(", ", source.comparison().examples()));
      }
      if (source.comparison() != null && source.comparison().extra() > 0) {
        out.printf(
            "  note      %s: %d target rows no longer in the source (kept)%n",
            source.group(), source.comparison().extra());
      }
    }
  }
}
