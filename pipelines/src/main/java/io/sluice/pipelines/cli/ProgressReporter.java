package io.sluice.pipelines.cli;

import io.sluice.sinks.postgres.RunLedger;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run's progress while it goes, read from the stores (so it works the same on every
 * runner): sources seen, documents stored, chunks and their rate, failures so far. On a terminal
 * the line is redrawn every two seconds; in a log, a line every ten.
 */
final class ProgressReporter implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "sluice-progress");
            thread.setDaemon(true);
            return thread;
          });
  private final boolean terminal = System.console() != null;
  private final PrintStream out;
  private final long start = System.nanoTime();

  private ProgressReporter(RunLedger ledger, String runId, long filesMatched, PrintStream out) {
    this.out = out;
    long period = terminal ? 2 : 10;
    timer.scheduleAtFixedRate(
        () -> show(ledger, runId, filesMatched), period, period, TimeUnit.SECONDS);
  }

  static ProgressReporter start(
      RunLedger ledger, String runId, long filesMatched, PrintStream out) {
    return new ProgressReporter(ledger, runId, filesMatched, out);
  }

  private void show(RunLedger ledger, String runId, long filesMatched) {
    try {
      RunLedger.RunFigures figures = ledger.figures(runId);
      double seconds = (System.nanoTime() - start) / 1e9;
      String line =
          String.format(
              "sluice: %d files · %d sources seen · %d documents stored · %d chunks (%.1f/s) · %d failures",
              filesMatched,
              figures.sourcesSeen(),
              figures.documentsStored(),
              figures.chunksWritten(),
              figures.chunksWritten() / seconds,
              figures.failures());
      out.print(terminal ? "\r" + line : line + "\n");
      out.flush();
    } catch (Exception e) {
      // Progress is a courtesy; a failed poll must not disturb the run.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (terminal) {
      out.println();
    }
  }
}
