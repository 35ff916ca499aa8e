package io.sluice.sinks.postgres;

import io.sluice.transforms.keys.IndexVersion;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The run every written row is attributed to, the index version its vectors belong to (a run that
 * writes no vectors, a backfill, has none), and how it treats documents that failed before: a
 * document that failed in a way no retry can change is settled, unless the run is told to {@code
 * retryFailed}; one that failed the same retryable way in {@code quarantineAfter} runs is
 * quarantined and skipped, unless the run is told to {@code retryQuarantined}.
 */
public record RunContext(
    String runId,
    @Nullable IndexVersion indexVersion,
    int quarantineAfter,
    boolean retryQuarantined,
    boolean retryFailed)
    implements Serializable {
  public static final int DEFAULT_QUARANTINE_AFTER = 3;

  public RunContext {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
    if (quarantineAfter < 1) {
      throw new IllegalArgumentException(
          "quarantineAfter must be at least 1, got " + quarantineAfter);
    }
  }

  public RunContext(String runId, @Nullable IndexVersion indexVersion) {
    this(runId, indexVersion, DEFAULT_QUARANTINE_AFTER, false, false);
  }

  /** A run that writes no vectors. */
  public static RunContext withoutIndex(String runId) {
    return new RunContext(runId, null);
  }

  public RunContext withQuarantine(int afterRuns, boolean retry) {
    return new RunContext(runId, indexVersion, afterRuns, retry, retryFailed);
  }

  /** Whether documents settled by a failure no retry could help are tried again. */
  public RunContext withRetryFailed(boolean retry) {
    return new RunContext(runId, indexVersion, quarantineAfter, retryQuarantined, retry);
  }

  /**
   * The id of the index version, stored in the schema's {@code pipeline_run_id} columns; null for a
   * run without one.
   */
  public @Nullable String indexVersionId() {
    return indexVersion == null ? null : indexVersion.id();
  }
}
