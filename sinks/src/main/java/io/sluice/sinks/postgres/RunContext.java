package io.sluice.sinks.postgres;

import io.sluice.transforms.keys.IndexVersion;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The run every written row is attributed to, and the index version its vectors belong to; a run
 * that writes no vectors (a backfill) has none.
 */
public record RunContext(String runId, @Nullable IndexVersion indexVersion)
    implements Serializable {
  public RunContext {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
  }

  /** A run that writes no vectors. */
  public static RunContext withoutIndex(String runId) {
    return new RunContext(runId, null);
  }

  public @Nullable String pipelineRunId() {
    return indexVersion == null ? null : indexVersion.id();
  }
}
