package io.sluice.pipelines.cli;

import io.sluice.sinks.postgres.RunLedger.RootSources;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;

/**
 * Whether {@code --prune} may remove what a run did not see. An unmounted network share, an emptied
 * bucket prefix and a run that stopped early all look like inputs whose files are gone; pruning
 * then would empty the stores on a guess. So nothing is pruned, and the reason is reported, when
 * the run did not end DONE, when an input matched no file, or when more than {@code
 * --maxPruneFraction} of the sources under an input root would go; {@code --force} lifts only the
 * last of these.
 */
final class PruneGuard {
  private PruneGuard() {}

  /** Why nothing may be pruned, or empty when pruning may go ahead. */
  static Optional<String> holdBack(
      PipelineResult.State state,
      Map<String, Long> matchesPerInput,
      List<RootSources> roots,
      double maxFraction,
      boolean force) {
    if (state != PipelineResult.State.DONE) {
      return Optional.of("the run ended " + state + ", not DONE");
    }
    for (Map.Entry<String, Long> input : matchesPerInput.entrySet()) {
      if (input.getValue() == 0) {
        return Optional.of(
            "input "
                + input.getKey()
                + " matched no file (an unmounted share or"
                + " an emptied prefix looks like that)");
      }
    }
    if (force) {
      return Optional.empty();
    }
    for (RootSources root : roots) {
      if (root.sources() > 0 && (double) root.unseen() / root.sources() > maxFraction) {
        return Optional.of(
            String.format(
                Locale.ROOT,
                "it would remove %d of the %d sources under"
                    + " %s, more than --maxPruneFraction=%.2f; --force prunes anyway",
                root.unseen(),
                root.sources(),
                root.rootUri(),
                maxFraction));
      }
    }
    return Optional.empty();
  }

  static void checkFraction(double maxFraction) {
    if (!(maxFraction >= 0 && maxFraction <= 1)) {
      throw new IllegalArgumentException(
          "--maxPruneFraction must be between 0 and 1, got " + maxFraction);
    }
  }
}
