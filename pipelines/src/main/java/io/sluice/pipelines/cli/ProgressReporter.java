package io.sluice.pipelines.cli;

import io.sluice.sinks.postgres.RunLedger;
import io.sluice.transforms.embed.EmbedChunks;
import io.sluice.transforms.extract.ExtractText;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Shows a run's progress while it goes: files done of those matched, documents stored and failures
 * (read from the stores, so the same on every runner), pages extracted and chunks embedded with
 * their rate (from the pipeline's counters where the runner shows them while it runs; else the
 * chunks stored), and an estimate of the time left from the share of files done. On a terminal the
 * line is redrawn in place every two seconds; in a log, a line every ten.
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

  private ProgressReporter(
      RunLedger ledger,
      String runId,
      long filesMatched,
      @Nullable RunCounters live,
      PrintStream out) {
    this.out = out;
    long period = terminal ? 2 : 10;
    timer.scheduleAtFixedRate(
        () -> show(ledger, runId, filesMatched, live), period, period, TimeUnit.SECONDS);
  }

  /** {@code live}: the run's pipeline counters as they stand, or null where they are not shown. */
  static ProgressReporter start(
      RunLedger ledger,
      String runId,
      long filesMatched,
      @Nullable RunCounters live,
      PrintStream out) {
    return new ProgressReporter(ledger, runId, filesMatched, live, out);
  }

  private void show(RunLedger ledger, String runId, long filesMatched, @Nullable RunCounters live) {
    try {
      RunLedger.RunProgress stored = ledger.progress(runId);
      double seconds = (System.nanoTime() - start) / 1e9;
      long filesDone = Math.min(filesMatched, stored.sourcesSeen());
      String work;
      if (live == null) {
        long chunks = ledger.chunksWritten(runId);
        work = String.format(Locale.ROOT, "%d chunks stored (%.1f/s)", chunks, chunks / seconds);
      } else {
        long chunks = live.counter(EmbedChunks.class, "chunks_embedded");
        work =
            String.format(
                Locale.ROOT,
                "%d pages extracted · %d chunks embedded (%.1f/s)",
                live.counter(ExtractText.class, "pages_extracted"),
                chunks,
                chunks / seconds);
      }
      String line =
          String.format(
              Locale.ROOT,
              "sluice: %d/%d files · %d documents stored · %s · %d failures · %s",
              filesDone,
              filesMatched,
              stored.documentsStored(),
              work,
              stored.failures(),
              eta(seconds, filesDone, filesMatched));
      out.print(terminal ? "\r" + line + "   " : line + "\n");
      out.flush();
    } catch (Exception e) {
      // Progress is a courtesy; a failed poll must not disturb the run.
    }
  }

  /** Time left at the pace so far, once a file is done. */
  static String eta(double seconds, long filesDone, long filesMatched) {
    if (filesDone == 0 || filesMatched == 0) {
      return "ETA –";
    }
    long left = Math.round(seconds * (filesMatched - filesDone) / filesDone);
    return left >= 3600
        ? String.format(Locale.ROOT, "ETA %dh%02dm", left / 3600, left / 60 % 60)
        : String.format(Locale.ROOT, "ETA %dm%02ds", left / 60, left % 60);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (terminal) {
      out.println();
    }
  }
}
