package io.sluice.sinks.postgres;

import io.sluice.transforms.keys.IndexVersion;
import java.io.Serializable;

/** The run every written row is attributed to, and the index version its vectors belong to. */
public record RunContext(String runId, IndexVersion indexVersion) implements Serializable {
  public RunContext {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
    if (indexVersion == null) {
      throw new IllegalArgumentException("indexVersion must not be null");
    }
  }

  public String pipelineRunId() {
    return indexVersion.id();
  }
}
