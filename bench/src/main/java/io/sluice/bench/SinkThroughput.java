package io.sluice.bench;

import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.PostgresIO;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.DocumentRecordCoder;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * sluice's own PostgreSQL sink writing the same embedded documents (document, source, chunks,
 * vectors, ledger; up to {@code batchDocuments} documents or {@code batchSize} chunks a
 * transaction) on the DirectRunner: the rate of its chunk and vector rows, comparable with {@link
 * CopyBinary}'s. The time is the sink's alone: that of the same pipeline without the sink (starting
 * the runner, encoding the documents) is measured just before, warm (its first run untimed), and
 * taken off.
 */
final class SinkThroughput {
  private SinkThroughput() {}

  static Rate write(
      DatabaseConfig database,
      List<DocumentRecord> documents,
      RunContext run,
      int batchDocuments,
      int batchSize) {
    seconds(withoutSink(documents));
    double baseline = seconds(withoutSink(documents));
    Pipeline withSink = pipeline();
    documents(withSink, documents)
        .apply(
            PostgresIO.writeDocuments()
                .withDatabase(database)
                .withRun(run)
                .withBatchDocuments(batchDocuments)
                .withBatchSize(batchSize));
    double total = seconds(withSink);
    long rows = 2L * documents.stream().mapToLong(document -> document.chunks().size()).sum();
    return new Rate(rows, total - baseline);
  }

  private static Pipeline withoutSink(List<DocumentRecord> documents) {
    Pipeline pipeline = pipeline();
    documents(pipeline, documents)
        .apply(
            "Count",
            MapElements.into(TypeDescriptors.integers()).via(document -> document.chunks().size()));
    return pipeline;
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

  private static PCollection<DocumentRecord> documents(
      Pipeline pipeline, List<DocumentRecord> documents) {
    return pipeline.apply(Create.of(documents).withCoder(DocumentRecordCoder.of()));
  }

  private static double seconds(Pipeline pipeline) {
    long start = System.nanoTime();
    pipeline.run().waitUntilFinish();
    return (System.nanoTime() - start) / 1e9;
  }
}
