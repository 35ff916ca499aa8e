package io.sluice.sinks.postgres;

import io.sluice.transforms.embed.TokenUsage;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.retry.RetryPolicy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.YearMonth;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token usage of a run's embedding requests, one row per answered request in {@code
 * observability.token_usage} (schema version 7: {@code run_id}, and no legacy id), written as each
 * answer arrives, so a job that runs for weeks (a watched folder) shows its spending as it goes.
 * Keyed by the run and the request id, and the time of the answer (schema version 10 partitions by
 * month of it; the month's partition is made first), so a retried write never doubles a row. A row
 * that cannot be written after the retries is counted and logged, never a document's failure: the
 * vectors it paid for are good.
 */
public record PostgresTokenUsage(DatabaseConfig database, String runId, RetryPolicy retry)
    implements TokenUsage.Factory {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresTokenUsage.class);
  private static final String SOURCE = "sluice-ingest";
  private static final String INSERT =
      """
      INSERT INTO observability.token_usage (usage_key, run_id, created_at, model, operation,
          input_tokens, total_tokens, request_id, meta, source)
      VALUES (?, ?, ?, ?, 'embeddings', ?, ?, ?, jsonb_build_object('texts', ?, 'attempts', ?), ?)
      ON CONFLICT (usage_key, created_at) DO NOTHING""";

  public PostgresTokenUsage {
    if (database == null || runId == null || retry == null) {
      throw new IllegalArgumentException("token usage needs a database, a run id and a retry");
    }
  }

  @Override
  public TokenUsage.Recorder open() {
    Counter retries = Metrics.counter(PostgresTokenUsage.class, "usage_write_retries");
    Counter lost = Metrics.counter(PostgresTokenUsage.class, "usage_rows_not_written");
    RetryingConnection connection = new RetryingConnection(database, retry, retries);
    // The months whose partition this recorder has seen made (or made itself).
    Set<YearMonth> months = ConcurrentHashMap.newKeySet();
    return new TokenUsage.Recorder() {
      @Override
      public void record(TokenUsage usage) {
        try {
          connection.inTransaction(
              c -> {
                YearMonth month = MonthlyPartitions.monthOf(usage.at());
                if (!months.contains(month)) {
                  MonthlyPartitions.add(c, MonthlyPartitions.TOKEN_USAGE, month);
                }
                try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                  insert.setString(1, Keys.sha256Hex(runId + "|" + usage.requestId()));
                  insert.setString(2, runId);
                  insert.setTimestamp(3, Timestamp.from(usage.at()));
                  insert.setString(4, usage.model());
                  insert.setLong(5, usage.inputTokens());
                  insert.setLong(6, usage.totalTokens());
                  insert.setString(7, usage.requestId());
                  insert.setInt(8, usage.texts());
                  insert.setInt(9, usage.attempts());
                  insert.setString(10, SOURCE);
                  int written = insert.executeUpdate();
                  months.add(month);
                  return written;
                }
              });
        } catch (SQLException e) {
          lost.inc();
          LOG.warn("token usage of request {} not recorded: {}", usage.requestId(), e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          lost.inc();
        }
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }
}
