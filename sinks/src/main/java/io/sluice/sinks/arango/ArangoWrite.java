package io.sluice.sinks.arango;

import com.arangodb.ArangoDB;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Writes embedded documents to ArangoDB as a graph, in batches bounded by document count and by
 * bytes, idempotently (see {@link ArangoBatchWriter}). Each DoFn instance has one request in
 * flight at a time, so the runner's parallelism bounds the requests in flight. Documents written
 * come out on the main output, to go on to the store that keeps the ledger; documents that cannot
 * be written come out as failures of stage {@code store}. Nothing is dropped.
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<DocumentRecord>, Failure> graph = documents.apply(
 *     ArangoWrite.to(config).withIndexVersion(run.pipelineRunId(), "all-minilm-l6-v2-q"));
 * }</pre>
 */
public final class ArangoWrite extends PTransform<
    PCollection<DocumentRecord>, WithFailures.Result<PCollection<DocumentRecord>, Failure>> {
  private static final TupleTag<DocumentRecord> WRITTEN = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final ArangoConfig config;
  private final String indexVersion;
  private final String model;
  private final int maxBatchDocuments;
  private final long maxBatchBytes;
  private final int maxRetries;

  private ArangoWrite(ArangoConfig config, String indexVersion, String model,
      int maxBatchDocuments, long maxBatchBytes, int maxRetries) {
    this.config = config;
    this.indexVersion = indexVersion;
    this.model = model;
    this.maxBatchDocuments = maxBatchDocuments;
    this.maxBatchBytes = maxBatchBytes;
    this.maxRetries = maxRetries;
  }

  public static ArangoWrite to(ArangoConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    // Ten retries back off 0.1 s growing to 5 s: a request rides out about 11 s of outage.
    return new ArangoWrite(config, null, null, 500, 4L << 20, 10);
  }

  public ArangoWrite withIndexVersion(String pipelineRunId, String embeddingModel) {
    if (pipelineRunId == null || embeddingModel == null) {
      throw new IllegalArgumentException("index version and model must not be null");
    }
    return new ArangoWrite(config, pipelineRunId, embeddingModel, maxBatchDocuments,
        maxBatchBytes, maxRetries);
  }

  /** Documents per batch (a document's chunks and edges go with it). */
  public ArangoWrite withMaxBatchDocuments(int documents) {
    if (documents <= 0) {
      throw new IllegalArgumentException("maxBatchDocuments must be positive, got " + documents);
    }
    return new ArangoWrite(config, indexVersion, model, documents, maxBatchBytes, maxRetries);
  }

  /** Approximate bytes per batch, counting chunk text and vectors. */
  public ArangoWrite withMaxBatchBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxBatchBytes must be positive, got " + bytes);
    }
    return new ArangoWrite(config, indexVersion, model, maxBatchDocuments, bytes, maxRetries);
  }

  public ArangoWrite withMaxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + retries);
    }
    return new ArangoWrite(config, indexVersion, model, maxBatchDocuments, maxBatchBytes, retries);
  }

  @Override
  public WithFailures.Result<PCollection<DocumentRecord>, Failure> expand(
      PCollection<DocumentRecord> documents) {
    if (indexVersion == null) {
      throw new IllegalStateException("withIndexVersion(…) is required");
    }
    PCollectionTuple written = documents.apply("Write to ArangoDB",
        ParDo.of(new WriteFn(this)).withOutputTags(WRITTEN, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(written, WRITTEN, FAILURES);
  }

  /** Buffers documents and writes them when a batch is full and at the end of every bundle. */
  private static final class WriteFn extends DoFn<DocumentRecord, DocumentRecord> {
    /** A buffered document with the event time and window it came in. */
    private record Pending(DocumentRecord document, Instant timestamp, BoundedWindow window) {}

    private final Counter bytesSent = Metrics.counter(ArangoWrite.class, "bytes_sent");
    private final Counter setupRetries = Metrics.counter(ArangoWrite.class, "setup_retries");
    private final ArangoWrite spec;
    private transient ArangoDB arango;
    private transient ArangoBatchWriter writer;
    private transient List<Pending> batch;
    private transient long batchBytes;

    WriteFn(ArangoWrite spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() throws Exception {
      arango = spec.config.connect();
      writer = new ArangoBatchWriter(
          new ArangoRetry(spec.maxRetries, setupRetries)
              .call(() -> ArangoGraph.ensure(arango, spec.config)),
          spec.indexVersion, spec.model, spec.maxRetries);
    }

    @StartBundle
    public void startBundle() {
      batch = new ArrayList<>();
      batchBytes = 0;
    }

    @ProcessElement
    public void process(@Element DocumentRecord document, @Timestamp Instant timestamp,
        BoundedWindow window, MultiOutputReceiver out) throws InterruptedException {
      batch.add(new Pending(document, timestamp, window));
      batchBytes += approximateBytes(document);
      if (batch.size() >= spec.maxBatchDocuments || batchBytes >= spec.maxBatchBytes) {
        flush(new Emitter() {
          @Override
          public <T> void emit(TupleTag<T> tag, T value, Pending pending) {
            out.get(tag).output(value);
          }
        });
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws InterruptedException {
      flush(new Emitter() {
        @Override
        public <T> void emit(TupleTag<T> tag, T value, Pending pending) {
          context.output(tag, value, pending.timestamp(), pending.window());
        }
      });
    }

    /** Where a flushed document or failure goes. */
    private interface Emitter {
      <T> void emit(TupleTag<T> tag, T value, Pending pending);
    }

    private void flush(Emitter emitter) throws InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      bytesSent.inc(batchBytes);
      List<Failure> failures =
          writer.write(batch.stream().map(Pending::document).toList());
      java.util.Map<String, Failure> failedByUri = new java.util.HashMap<>();
      failures.forEach(failure -> failedByUri.put(failure.sourceUri(), failure));
      for (Pending pending : batch) {
        Failure failure = failedByUri.get(pending.document().source().uri());
        if (failure == null) {
          emitter.emit(WRITTEN, pending.document(), pending);
        } else {
          emitter.emit(FAILURES, failure, pending);
        }
      }
      batch = new ArrayList<>();
      batchBytes = 0;
    }

    private static long approximateBytes(DocumentRecord document) {
      long bytes = 256;
      for (Chunk chunk : document.chunks()) {
        bytes += 2L * chunk.text().length() + 256
            + (chunk.embedding() == null ? 0 : 12L * chunk.embedding().length);
      }
      return bytes;
    }

    @Teardown
    public void teardown() {
      if (arango != null) {
        arango.shutdown();
      }
    }
  }
}
