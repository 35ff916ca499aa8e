package io.sluice.pipelines.ingest;

import io.sluice.sinks.postgres.ConnectionLimits;
import io.sluice.transforms.retry.RetryPolicy;
import java.time.Duration;

/** What the store flags every command shares ({@link StoreOptions}) describe. */
public final class StoreSettings {
  private StoreSettings() {}

  /** How much of the PostgreSQL server a worker JVM may take, and for how long. */
  public static ConnectionLimits connectionLimits(StoreOptions options) {
    return new ConnectionLimits(
        options.getMaxConnections(),
        Duration.ofSeconds(options.getConnectTimeoutSeconds()),
        Duration.ofSeconds(options.getSocketTimeoutSeconds()),
        Duration.ofSeconds(options.getStatementTimeoutSeconds()));
  }

  /** The one retry policy of every store. */
  public static RetryPolicy retryPolicy(StoreOptions options) {
    return new RetryPolicy(
        options.getMaxRetries(),
        Duration.ofMillis(options.getRetryInitialBackoffMillis()),
        Duration.ofSeconds(options.getRetryMaxBackoffSeconds()));
  }
}
