package io.sluice.bench;

import io.sluice.sinks.postgres.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a run's stored documents grew while it ran: the store is polled twice a second from the
 * moment the run's process starts, so the bench can tell when the first document landed and how
 * many had landed at a quarter, half and three quarters of the run's wall time (a pipeline that
 * stores everything at its end shows 0, 0, 0).
 */
final class StoreTimeline implements AutoCloseable {
  private static final long POLL_MILLIS = 500;

  /** One poll: seconds since the start, documents stored by then. */
  private record Sample(double seconds, long stored) {}

  private final List<Sample> samples = new ArrayList<>();
  private final Thread poller;
  private final long start = System.nanoTime();
  private volatile boolean running = true;

  private StoreTimeline(DatabaseConfig database, String runId) {
    poller =
        new Thread(
            () -> {
              try (Connection connection = database.connect();
                  PreparedStatement query =
                      connection.prepareStatement(
                          """
                          SELECT count(*) FROM workflow.document_stages
                          WHERE run_id = ? AND stage = 'store' AND status = 'completed'""")) {
                query.setString(1, runId);
                while (running) {
                  try (ResultSet result = query.executeQuery()) {
                    result.next();
                    long stored = result.getLong(1);
                    synchronized (samples) {
                      samples.add(new Sample((System.nanoTime() - start) / 1e9, stored));
                    }
                  }
                  Thread.sleep(POLL_MILLIS);
                }
              } catch (SQLException | InterruptedException e) {
                // The timeline ends with what it has; the run's own figures do not depend on it.
              }
            },
            "bench-store-timeline");
    poller.setDaemon(true);
    poller.start();
  }

  /** Starts polling the run's stored documents now. */
  static StoreTimeline start(DatabaseConfig database, String runId) {
    return new StoreTimeline(database, runId);
  }

  /** Seconds from the start to the first stored document; negative when none was seen. */
  double firstStoredSeconds() {
    synchronized (samples) {
      return samples.stream()
          .filter(sample -> sample.stored() > 0)
          .mapToDouble(Sample::seconds)
          .findFirst()
          .orElse(-1);
    }
  }

  /** Documents stored at the last poll before {@code fraction} of {@code wallSeconds}. */
  long storedAt(double fraction, double wallSeconds) {
    synchronized (samples) {
      return samples.stream()
          .filter(sample -> sample.seconds() <= fraction * wallSeconds)
          .mapToLong(Sample::stored)
          .max()
          .orElse(0);
    }
  }

  /** First stored, and stored at 25 / 50 / 75 % of the wall time, for a bench line. */
  String describe(double wallSeconds) {
    return String.format(
        Locale.ROOT,
        "first stored at %.1f s · stored at 25/50/75 %% of the wall: %d / %d / %d",
        firstStoredSeconds(),
        storedAt(0.25, wallSeconds),
        storedAt(0.50, wallSeconds),
        storedAt(0.75, wallSeconds));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    poller.interrupt();
    poller.join();
  }
}
