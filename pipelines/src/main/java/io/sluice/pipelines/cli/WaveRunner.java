package io.sluice.pipelines.cli;

import io.sluice.pipelines.ingest.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the waves of a DirectRunner batch ingest ({@link io.sluice.pipelines.ingest.Waves}), two at
 * a time: one wave's files are parsed (in parser processes) while the other's chunks are embedded,
 * so neither the parsers nor the model wait for the other stage of the same wave. Counters are
 * summed over every wave started so far, the running ones included, so that progress moves while a
 * wave runs. After a wave fails, no further wave starts; the run ends with that failure.
 */
final class WaveRunner implements RunCounters {
  /** Waves running at once: one extracting while the other embeds. */
  private static final int IN_FLIGHT = 2;

  private static final Logger LOG = LoggerFactory.getLogger(WaveRunner.class);

  private final List<PipelineResult> results = new CopyOnWriteArrayList<>();

  /** Runs every wave; the state of the run: DONE when every wave was, else the first other. */
  PipelineResult.State run(
      List<List<MatchResult.Metadata>> waves,
      Function<List<MatchResult.Metadata>, Pipeline> pipelineOf)
      throws InterruptedException {
    ExecutorService executor =
        Executors.newFixedThreadPool(
            IN_FLIGHT,
            task -> {
              Thread thread = new Thread(task, "sluice-wave");
              thread.setDaemon(true);
              return thread;
            });
    AtomicBoolean stopped = new AtomicBoolean();
    List<Future<PipelineResult.State>> states = new ArrayList<>();
    try {
      for (int i = 0; i < waves.size(); i++) {
        List<MatchResult.Metadata> wave = waves.get(i);
        String name = "wave " + (i + 1) + " of " + waves.size() + " (" + wave.size() + " files)";
        states.add(
            executor.submit(
                () -> {
                  if (stopped.get()) {
                    return PipelineResult.State.CANCELLED;
                  }
                  try {
                    long start = System.nanoTime();
                    PipelineResult result = pipelineOf.apply(wave).run();
                    results.add(result);
                    PipelineResult.State state = result.waitUntilFinish();
                    LOG.info(
                        "{} {} in {} s",
                        name,
                        state,
                        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
                    if (state != PipelineResult.State.DONE) {
                      stopped.set(true);
                    }
                    return state;
                  } catch (RuntimeException e) {
                    stopped.set(true);
                    throw e;
                  }
                }));
      }
      PipelineResult.State outcome = PipelineResult.State.DONE;
      RuntimeException failure = null;
      for (Future<PipelineResult.State> state : states) {
        try {
          PipelineResult.State waveState = state.get();
          if (outcome == PipelineResult.State.DONE && waveState != PipelineResult.State.DONE) {
            outcome = waveState;
          }
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException(e.getCause());
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      return outcome;
    } finally {
      executor.shutdownNow();
    }
  }

  /** A counter summed over the waves started so far. */
  @Override
  public long counter(Class<?> namespace, String name) {
    return results.stream()
        .mapToLong(result -> PipelineMetrics.counter(result, namespace, name))
        .sum();
  }
}
