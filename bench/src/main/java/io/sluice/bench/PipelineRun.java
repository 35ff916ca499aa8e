package io.sluice.bench;

import io.sluice.sinks.postgres.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One {@code sluice ingest} measured from outside (wall, peak RSS, CPU) with what its run record
 * says it did: the pipeline's own wall time, pages extracted and chunks embedded.
 */
record PipelineRun(
    MeasuredProcess.Result process, double pipelineSeconds, long pages, long chunksEmbedded) {

  double chunksPerSecond() {
    return pipelineSeconds > 0 ? chunksEmbedded / pipelineSeconds : 0;
  }

  double pagesPerSecond() {
    return pipelineSeconds > 0 ? pages / pipelineSeconds : 0;
  }

  static PipelineRun of(MeasuredProcess.Result process, DatabaseConfig database, String runId)
      throws SQLException {
    if (process.exitCode() != 0) {
      throw new IllegalStateException(
          "sluice ingest (run "
              + runId
              + ") failed with exit code "
              + process.exitCode()
              + ":\n"
              + process.output());
    }
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                """
            SELECT (payload->>'wall_seconds')::float8, (payload->>'pages_extracted')::bigint,
                   (payload->>'chunks_embedded')::bigint
            FROM workflow.run_records WHERE run_id = ? AND record_kind = 'run'""")) {
      query.setString(1, runId);
      try (ResultSet result = query.executeQuery()) {
        if (!result.next()) {
          throw new IllegalStateException("run " + runId + " left no run record");
        }
        return new PipelineRun(process, result.getDouble(1), result.getLong(2), result.getLong(3));
      }
    }
  }
}
