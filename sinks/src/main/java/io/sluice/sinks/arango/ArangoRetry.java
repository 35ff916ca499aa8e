package io.sluice.sinks.arango;

import com.arangodb.ArangoDBException;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;

/**
 * Runs ArangoDB requests again after transient failures, with exponential backoff. Transient: no
 * answer at all (the driver gave up on every host, a timeout, a connection cut mid-answer), an
 * overloaded or unavailable server (503, 502, 504, 429, 408), a write-write conflict (1200).
 */
final class ArangoRetry {
  static final int WRITE_WRITE_CONFLICT = 1200;

  private final FluentBackoff backoff;
  private final Counter retried;

  ArangoRetry(int maxRetries, Counter retried) {
    this.backoff = FluentBackoff.DEFAULT.withMaxRetries(maxRetries)
        .withInitialBackoff(Duration.millis(100))
        .withMaxBackoff(Duration.standardSeconds(5));
    this.retried = retried;
  }

  /** A fresh budget of attempts, for callers that decide themselves what to send again. */
  BackOff attempts() {
    return backoff.backoff();
  }

  /** Waits before the next attempt; false when the budget is spent. */
  boolean waitForNext(BackOff attempts) throws InterruptedException {
    boolean again = BackOffUtils.next(Sleeper.DEFAULT, attempts);
    if (again) {
      retried.inc();
    }
    return again;
  }

  /** The request's result; its last failure when every attempt failed or one failed for good. */
  <T> T call(Callable<T> request) throws InterruptedException {
    BackOff attempts = attempts();
    while (true) {
      try {
        return request.call();
      } catch (ArangoDBException e) {
        if (!isTransient(e) || !waitForNext(attempts)) {
          throw e;
        }
      } catch (InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static boolean isTransient(ArangoDBException e) {
    Integer status = e.getResponseCode();
    if (status == null) {
      return true;
    }
    return status == 503 || status == 502 || status == 504 || status == 429 || status == 408
        || Integer.valueOf(WRITE_WRITE_CONFLICT).equals(e.getErrorNum());
  }
}
