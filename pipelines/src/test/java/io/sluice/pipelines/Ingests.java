package io.sluice.pipelines;

import io.sluice.pipelines.ingest.IngestOptions;
import io.sluice.pipelines.ingest.IngestPipeline;
import io.sluice.pipelines.ingest.StoreSettings;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.transforms.chunk.Chunker;
import io.sluice.transforms.embed.Embedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;

/**
 * Runs the ingest pipeline (on the DirectRunner with its element checks on, unless runner flags say
 * otherwise) and reads results.
 */
final class Ingests {
  private Ingests() {}

  static PipelineResult run(
      DatabaseConfig database, List<String> inputs, String runId, String... runnerFlags) {
    IngestOptions options = options(runId, runnerFlags);
    Pipeline pipeline = Pipeline.create(options);
    IngestPipeline.build(
        pipeline,
        options,
        inputs,
        database.withLimits(StoreSettings.connectionLimits(options)),
        IngestPipeline.runContext(options));
    return finish(pipeline);
  }

  /** The pipeline with this chunker and embedder instead of sluice's own. */
  static PipelineResult run(
      DatabaseConfig database,
      List<String> inputs,
      String runId,
      Chunker.Factory chunker,
      Embedder.Factory embedder) {
    IngestOptions options = options(runId);
    Pipeline pipeline = Pipeline.create(options);
    IngestPipeline.build(
        pipeline, options, inputs, database, IngestPipeline.runContext(options), chunker, embedder);
    return finish(pipeline);
  }

  private static IngestOptions options(String runId, String... runnerFlags) {
    IngestOptions options =
        runnerFlags.length == 0
            ? TestPipeline.testingPipelineOptions().as(IngestOptions.class)
            : PipelineOptionsFactory.fromArgs(runnerFlags).as(IngestOptions.class);
    options.setRunId(runId);
    IngestPipeline.prepare(options);
    return options;
  }

  private static PipelineResult finish(Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  static String checksum(DatabaseConfig database) throws SQLException {
    return StoreChecksum.report(StoreChecksum.compute(database));
  }

  /** Two-column query results as a sorted map, for whole-table comparisons. */
  static Map<String, String> map(DatabaseConfig database, String sql, String... parameters)
      throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Connection connection = database.connect();
        PreparedStatement query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          rows.put(result.getString(1), result.getString(2));
        }
      }
    }
    return rows;
  }
}
