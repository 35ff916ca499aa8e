package io.sluice.transforms.retry;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How sluice tries again after a transient failure, everywhere it does (reading a source, a
 * PostgreSQL transaction, an ArangoDB request): exponential backoff with jitter through Beam's
 * {@link FluentBackoff}, from {@code initialBackoff} growing to {@code maxBackoff}, at most {@code
 * maxRetries} times. Each retry is logged at WARN with the attempt, the delay and the cause (the
 * cause's message only: the messages of JDBC and HTTP clients name hosts, never passwords).
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff)
    implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

  /** Six retries from 0.2 s growing to 10 s: about half a minute of outage ridden out. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(10));

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
    }
    if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive, got " + initialBackoff);
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be at least initialBackoff (" + initialBackoff + "), got " + maxBackoff);
    }
  }

  public RetryPolicy withMaxRetries(int retries) {
    return new RetryPolicy(retries, initialBackoff, maxBackoff);
  }

  /** One unit of work that may fail with {@code E}. */
  public interface Attempt<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails with an {@code E} that {@code isTransient} does
   * not accept, or the retries are spent; then its last failure surfaces.
   */
  public <T, E extends Exception> T call(
      String what,
      Attempt<T, E> attempt,
      Class<E> failure,
      Predicate<? super E> isTransient,
      Counter retried)
      throws E, InterruptedException {
    Attempts attempts = attempts(what, retried);
    while (true) {
      try {
        return attempt.run();
      } catch (Exception e) {
        if (!failure.isInstance(e)) {
          // Attempt.run throws E or unchecked exceptions only.
          throw (RuntimeException) e;
        }
        E cause = failure.cast(e);
        if (!isTransient.test(cause) || !attempts.waitBeforeNext(cause)) {
          throw cause;
        }
      }
    }
  }

  /** A budget of attempts, for callers that decide themselves what to send again. */
  public Attempts attempts(String what, Counter retried) {
    return new Attempts(what, retried);
  }

  /** The retries of one piece of work, counted and logged. */
  public final class Attempts {
    private final String what;
    private final Counter retried;
    private final BackOff backoff;
    private int attempt = 1;

    private Attempts(String what, Counter retried) {
      this.what = what;
      this.retried = retried;
      this.backoff =
          FluentBackoff.DEFAULT
              .withMaxRetries(maxRetries)
              .withInitialBackoff(org.joda.time.Duration.millis(initialBackoff.toMillis()))
              .withMaxBackoff(org.joda.time.Duration.millis(maxBackoff.toMillis()))
              .backoff();
    }

    /** Waits before the next attempt after {@code cause}; false when the budget is spent. */
    public boolean waitBeforeNext(Throwable cause) throws InterruptedException {
      return waitBeforeNext(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** Waits before the next attempt after what {@code cause} says; false when it is spent. */
    public boolean waitBeforeNext(String cause) throws InterruptedException {
      return waitBeforeNext(cause, Duration.ZERO);
    }

    /**
     * As {@link #waitBeforeNext(String)}, waiting at least {@code atLeast}: the time a server asked
     * for (HTTP {@code Retry-After}) when it is longer than the backoff.
     */
    public boolean waitBeforeNext(String cause, Duration atLeast) throws InterruptedException {
      long delay = backoff.nextBackOffMillis();
      if (delay != BackOff.STOP) {
        delay = Math.max(delay, atLeast.toMillis());
      }
      if (delay == BackOff.STOP) {
        LOG.warn("{}: giving up after {} attempts: {}", what, attempt, cause);
        return false;
      }
      LOG.warn(
          "{}: attempt {} of {} failed, retrying in {} ms: {}",
          what,
          attempt,
          maxRetries + 1,
          delay,
          cause);
      retried.inc();
      attempt++;
      Sleeper.DEFAULT.sleep(delay);
      return true;
    }
  }
}
