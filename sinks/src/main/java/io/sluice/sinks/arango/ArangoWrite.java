package io.sluice.sinks.arango;

import io.sluice.sinks.core.BatchWriter;
import io.sluice.sinks.core.StoreWrite;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.retry.RetryPolicy;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes embedded documents to ArangoDB as a graph through the {@link StoreWrite} core, in batches
 * bounded by document count and by bytes, idempotently (see {@link ArangoBatchWriter}). Each DoFn
 * instance has one request in flight at a time, so the runner's parallelism bounds the requests in
 * flight. Documents written come out on the main output, to go on to the store that keeps the
 * ledger; documents that cannot be written come out as failures of stage {@code store}, classified
 * by {@link ArangoErrors}. Nothing is dropped.
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<DocumentRecord>, Failure> graph = documents.apply(
 *     ArangoWrite.to(config).withIndexVersion(run.indexVersionId(), "all-minilm-l6-v2-q"));
 * }</pre>
 */
public final class ArangoWrite
    extends PTransform<
        PCollection<DocumentRecord>, WithFailures.Result<PCollection<DocumentRecord>, Failure>> {
  private final ArangoConfig config;
  private final String indexVersion;
  private final String model;
  private final int maxBatchDocuments;
  private final long maxBatchBytes;
  private final RetryPolicy retry;

  private ArangoWrite(
      ArangoConfig config,
      String indexVersion,
      String model,
      int maxBatchDocuments,
      long maxBatchBytes,
      RetryPolicy retry) {
    this.config = config;
    this.indexVersion = indexVersion;
    this.model = model;
    this.maxBatchDocuments = maxBatchDocuments;
    this.maxBatchBytes = maxBatchBytes;
    this.retry = retry;
  }

  public static ArangoWrite to(ArangoConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    return new ArangoWrite(config, null, null, 500, 4L << 20, RetryPolicy.DEFAULT);
  }

  public ArangoWrite withIndexVersion(String indexVersionId, String embeddingModel) {
    if (indexVersionId == null || embeddingModel == null) {
      throw new IllegalArgumentException("index version and model must not be null");
    }
    return new ArangoWrite(
        config, indexVersionId, embeddingModel, maxBatchDocuments, maxBatchBytes, retry);
  }

  /** Documents per batch (a document's chunks and edges go with it). */
  public ArangoWrite withMaxBatchDocuments(int documents) {
    if (documents <= 0) {
      throw new IllegalArgumentException("maxBatchDocuments must be positive, got " + documents);
    }
    return new ArangoWrite(config, indexVersion, model, documents, maxBatchBytes, retry);
  }

  /** Approximate bytes per batch, counting chunk text and vectors. */
  public ArangoWrite withMaxBatchBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxBatchBytes must be positive, got " + bytes);
    }
    return new ArangoWrite(config, indexVersion, model, maxBatchDocuments, bytes, retry);
  }

  public ArangoWrite withRetry(RetryPolicy newRetry) {
    if (newRetry == null) {
      throw new IllegalArgumentException("retry must not be null");
    }
    return new ArangoWrite(config, indexVersion, model, maxBatchDocuments, maxBatchBytes, newRetry);
  }

  @Override
  public WithFailures.Result<PCollection<DocumentRecord>, Failure> expand(
      PCollection<DocumentRecord> documents) {
    if (indexVersion == null) {
      throw new IllegalStateException("withIndexVersion(…) is required");
    }
    return documents.apply(
        StoreWrite.of(ArangoWrite.class, "documents", new Writers(this))
            .withMaxRecords(maxBatchDocuments)
            .withMaxWeight(ArangoWrite::approximateBytes, maxBatchBytes));
  }

  /** Counts chunk text and vectors, as the JSON the driver sends them in. */
  private static Long approximateBytes(DocumentRecord document) {
    long bytes = 256;
    for (Chunk chunk : document.chunks()) {
      bytes +=
          2L * chunk.text().length()
              + 256
              + (chunk.embedding() == null ? 0 : 12L * chunk.embedding().length);
    }
    return bytes;
  }

  /** Opens, on the worker, a writer on the JVM's client for the server. */
  private static final class Writers implements BatchWriter.Factory<DocumentRecord> {
    private final ArangoWrite spec;

    Writers(ArangoWrite spec) {
      this.spec = spec;
    }

    @Override
    public BatchWriter<DocumentRecord> open() throws InterruptedException {
      return new ArangoBatchWriter(spec.config, spec.indexVersion, spec.model, spec.retry);
    }
  }
}
