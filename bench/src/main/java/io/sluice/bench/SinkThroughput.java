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

/**
 * sluice's own PostgreSQL sink writing the same embedded documents (one transaction per document:
 * document, source, chunks, vectors, ledger) on the DirectRunner: the rate of its chunk and
 * vector rows, comparable with {@link CopyBinary}'s.
 */
final class SinkThroughput {
  private SinkThroughput() {}

  static Rate write(DatabaseConfig database, List<DocumentRecord> documents, RunContext run,
      int batchSize) {
    // The DirectRunner as direct.conf sets it up: no element checks, one worker thread.
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(
        "--enforceEncodability=false", "--enforceImmutability=false", "--targetParallelism=1")
        .create());
    pipeline.apply(Create.of(documents).withCoder(DocumentRecordCoder.of()))
        .apply(PostgresIO.writeDocuments().withDatabase(database).withRun(run)
            .withBatchSize(batchSize));
    long rows = 2L * documents.stream().mapToLong(document -> document.chunks().size()).sum();
    long start = System.nanoTime();
    pipeline.run().waitUntilFinish();
    return Rate.since(rows, start);
  }
}
