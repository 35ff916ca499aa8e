package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * Every count by run that the progress line and {@code sluice status} read can be answered through
 * an index on the run (schema version 8). With sequential scans priced out, PostgreSQL still plans
 * a scan where no index fits the query, and an index that does not lead with the run shows as a
 * filter on it; so a query that drifts from its index, or an index dropped, shows here on an empty
 * table, long before a ten-million-row store makes it slow.
 */
public class ProgressIndexesTest {
  /** Each query and the run column an index condition must hold. */
  private static final Map<String, String> RUN_COLUMN_OF_QUERY =
      Map.of(
          RunLedger.SOURCES_SEEN, "last_seen_run_id",
          RunLedger.CHUNKS_WRITTEN, "run_id",
          RunLedger.VECTORS_WRITTEN, "run_id",
          RunLedger.DOCUMENTS_STORED, "run_id",
          RunLedger.FAILURES, "run_id");

  private static String plan(Connection connection, String query) throws Exception {
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + query)) {
      explain.setString(1, "a-run");
      try (ResultSet lines = explain.executeQuery()) {
        while (lines.next()) {
          plan.append(lines.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }

  @Test
  public void everyCountByRunGoesThroughAnIndex() throws Exception {
    try (Connection connection = TestDatabases.fresh().connect();
        Statement settings = connection.createStatement()) {
      settings.execute("SET enable_seqscan = off");
      // The stages' (stage, status) index fits the stored count too, and an empty table gives
      // the planner no reason to prefer the run's; at scale it does, and this index must exist.
      settings.execute("DROP INDEX workflow.document_stages_stage_status");
      for (Map.Entry<String, String> query : RUN_COLUMN_OF_QUERY.entrySet()) {
        String plan = plan(connection, query.getKey());
        assertThat(query.getKey(), plan, not(containsString("Seq Scan")));
        assertThat(
            query.getKey() + "\n" + plan,
            Pattern.compile("Index Cond: \\(+" + query.getValue() + " = ").matcher(plan).find(),
            equalTo(true));
      }
    }
  }
}
