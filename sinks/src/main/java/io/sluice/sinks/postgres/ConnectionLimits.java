package io.sluice.sinks.postgres;

import java.io.Serializable;
import java.time.Duration;

/**
 * What a worker JVM may take of a PostgreSQL server: at most {@code maxConnections} connections,
 * shared by every DoFn of the pipeline in that JVM, and how long a connection attempt, a silent
 * socket and one statement may take before they fail (as transient errors, retried). A hung server
 * then costs a retry, not a stalled worker.
 */
public record ConnectionLimits(
    int maxConnections, Duration connectTimeout, Duration socketTimeout, Duration statementTimeout)
    implements Serializable {
  public static final ConnectionLimits DEFAULT =
      new ConnectionLimits(
          8, Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(120));

  public ConnectionLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, got " + maxConnections);
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("socketTimeout", socketTimeout);
    requirePositive("statementTimeout", statementTimeout);
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
