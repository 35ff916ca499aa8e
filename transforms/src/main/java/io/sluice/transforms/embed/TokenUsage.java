package io.sluice.transforms.embed;

import java.io.Serializable;
import java.time.Instant;

/**
 * What one embedding request cost, as the server reported it: recorded per request with the run
 * that made it ({@code observability.token_usage}).
 */
public record TokenUsage(
    String requestId,
    Instant at,
    String model,
    long inputTokens,
    long totalTokens,
    int texts,
    int attempts) {

  /** Where an embedder reports its requests: the store, in sluice's pipelines. */
  public interface Recorder extends AutoCloseable {
    void record(TokenUsage usage);

    /** Writes what is still buffered and gives back what {@link Factory#open()} took. */
    @Override
    void close();
  }

  /** Opens the recorder of one DoFn instance, on the worker, at setup. */
  public interface Factory extends Serializable {
    Recorder open();
  }
}
