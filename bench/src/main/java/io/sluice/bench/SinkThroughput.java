package io.sluice.bench;

import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.PostgresIO;
import io.sluice.sinks.postgres.PostgresWrite;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.DocumentRecordCoder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;

/**
 * sluice's own PostgreSQL sink writing the same embedded documents (document, source, chunks,
 * vectors, ledger; up to {@code batchDocuments} documents or {@code batchSize} chunks a
 * transaction) on the DirectRunner: the rate of its chunk and vector rows, comparable with {@link
 * CopyBinary}'s. The time is what the sink's batches spent in the store, as its {@code
 * documents_batch_millis} distribution sums it (statements, commits and retries; not the runner's
 * start, nor the decoding of documents, which took longer than the writes and varied more).
 */
final class SinkThroughput {
  private static final String BATCH_MILLIS = "documents_batch_millis";

  private SinkThroughput() {}

  static Rate write(
      DatabaseConfig database,
      List<DocumentRecord> documents,
      RunContext run,
      int batchDocuments,
      int batchSize)
      throws SQLException {
    Pipeline pipeline = pipeline();
    pipeline
        .apply(Create.of(documents).withCoder(DocumentRecordCoder.of()))
        .apply(
            PostgresIO.writeDocuments()
                .withDatabase(database)
                .withRun(run)
                .withBatchDocuments(batchDocuments)
                .withBatchSize(batchSize));
    try (Connection connection = database.connect()) {
      CopyBinary.checkpoint(connection);
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long rows = 2L * documents.stream().mapToLong(document -> document.chunks().size()).sum();
    return new Rate(rows, batchMillis(result) / 1e3);
  }

  private static long batchMillis(PipelineResult result) {
    Iterable<MetricResult<DistributionResult>> distributions =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PostgresWrite.class, BATCH_MILLIS))
                    .build())
            .getDistributions();
    return StreamSupport.stream(distributions.spliterator(), false)
        .mapToLong(distribution -> distribution.getCommitted().getSum())
        .sum();
  }

  /** The DirectRunner as direct.conf sets it up: no element checks, one worker thread. */
  private static Pipeline pipeline() {
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs(
                "--enforceEncodability=false",
                "--enforceImmutability=false",
                "--targetParallelism=1")
            .create());
  }
}
