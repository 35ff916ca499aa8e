package io.sluice.sinks.core;

import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureCoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * The one way sluice writes a store: records are buffered into batches of at most {@code
 * maxRecords} records and {@code maxWeight} weight (rows, bytes: what the store counts), written by
 * the store's {@link BatchWriter} when a batch is full and at the end of every bundle, and come out
 * again, the written ones on {@link WithFailures.Result#output()}, the others as classified
 * failures on {@link WithFailures.Result#failures()}. Every sink of sluice (PostgreSQL documents,
 * sightings, failures and backfilled records, the ArangoDB graph) has this contract. Counters:
 * {@code <kind>_written}, {@code <kind>_failed}, {@code <kind>_batches}; the distribution {@code
 * <kind>_batch_millis} is the time each batch spent in the store, retries included.
 */
public final class StoreWrite<T>
    extends PTransform<PCollection<T>, WithFailures.Result<PCollection<T>, Failure>> {
  private final Class<?> namespace;
  private final String kind;
  private final BatchWriter.Factory<T> writer;
  private final SerializableFunction<T, Long> weigher;
  private final int maxRecords;
  private final long maxWeight;

  private StoreWrite(
      Class<?> namespace,
      String kind,
      BatchWriter.Factory<T> writer,
      SerializableFunction<T, Long> weigher,
      int maxRecords,
      long maxWeight) {
    this.namespace = namespace;
    this.kind = kind;
    this.writer = writer;
    this.weigher = weigher;
    this.maxRecords = maxRecords;
    this.maxWeight = maxWeight;
  }

  /**
   * Records of one {@code kind} written by {@code writer}, counted under the metric namespace of
   * the store's transform; by default one record per batch.
   */
  public static <T> StoreWrite<T> of(
      Class<?> namespace, String kind, BatchWriter.Factory<T> writer) {
    if (namespace == null || kind == null || writer == null) {
      throw new IllegalArgumentException("namespace, kind and writer must not be null");
    }
    return new StoreWrite<>(namespace, kind, writer, record -> 1L, 1, Long.MAX_VALUE);
  }

  /** Records per batch. */
  public StoreWrite<T> withMaxRecords(int records) {
    if (records <= 0) {
      throw new IllegalArgumentException("maxRecords must be positive, got " + records);
    }
    return new StoreWrite<>(namespace, kind, writer, weigher, records, maxWeight);
  }

  /**
   * Weight per batch, as {@code weigher} measures a record; a batch is written once it reaches the
   * weight, so one heavy record is a batch of its own and is never split.
   */
  public StoreWrite<T> withMaxWeight(SerializableFunction<T, Long> newWeigher, long weight) {
    if (newWeigher == null) {
      throw new IllegalArgumentException("weigher must not be null");
    }
    if (weight <= 0) {
      throw new IllegalArgumentException("maxWeight must be positive, got " + weight);
    }
    return new StoreWrite<>(namespace, kind, writer, newWeigher, maxRecords, weight);
  }

  @Override
  public WithFailures.Result<PCollection<T>, Failure> expand(PCollection<T> records) {
    TupleTag<T> written = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    PCollectionTuple outputs =
        records.apply(
            "Write " + kind,
            ParDo.of(new WriteFn<>(this, written, failures))
                .withOutputTags(written, TupleTagList.of(failures)));
    outputs.get(written).setCoder(records.getCoder());
    outputs.get(failures).setCoder(FailureCoder.of());
    return WithFailures.Result.of(outputs, written, failures);
  }

  /** Buffers records, writes them a batch at a time, and sends each out to where it belongs. */
  private static final class WriteFn<T> extends DoFn<T, T> {
    /** A buffered record with the event time and window it came in. */
    private record Pending<T>(T record, Instant timestamp, BoundedWindow window) {}

    /** Where a flushed record or failure goes: during processing, or at the end of a bundle. */
    private interface Emitter {
      <V> void emit(TupleTag<V> tag, V value, Pending<?> pending);
    }

    private final StoreWrite<T> spec;
    private final TupleTag<T> writtenTag;
    private final TupleTag<Failure> failuresTag;
    private final Counter written;
    private final Counter failed;
    private final Counter batches;
    private final Distribution batchMillis;
    private transient BatchWriter<T> writer;
    private transient List<Pending<T>> batch;
    private transient long batchWeight;

    WriteFn(StoreWrite<T> spec, TupleTag<T> writtenTag, TupleTag<Failure> failuresTag) {
      this.spec = spec;
      this.writtenTag = writtenTag;
      this.failuresTag = failuresTag;
      this.written = Metrics.counter(spec.namespace, spec.kind + "_written");
      this.failed = Metrics.counter(spec.namespace, spec.kind + "_failed");
      this.batches = Metrics.counter(spec.namespace, spec.kind + "_batches");
      this.batchMillis = Metrics.distribution(spec.namespace, spec.kind + "_batch_millis");
    }

    @Setup
    public void setup() throws Exception {
      writer = spec.writer.open();
    }

    @StartBundle
    public void startBundle() {
      batch = new ArrayList<>();
      batchWeight = 0;
    }

    @ProcessElement
    public void process(
        @Element T record,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        MultiOutputReceiver out)
        throws Exception {
      batch.add(new Pending<>(record, timestamp, window));
      batchWeight += spec.weigher.apply(record);
      if (batch.size() >= spec.maxRecords || batchWeight >= spec.maxWeight) {
        flush(
            new Emitter() {
              @Override
              public <V> void emit(TupleTag<V> tag, V value, Pending<?> pending) {
                out.get(tag).output(value);
              }
            });
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws Exception {
      flush(
          new Emitter() {
            @Override
            public <V> void emit(TupleTag<V> tag, V value, Pending<?> pending) {
              context.output(tag, value, pending.timestamp(), pending.window());
            }
          });
    }

    @Teardown
    public void teardown() {
      if (writer != null) {
        writer.close();
        writer = null;
      }
    }

    private void flush(Emitter emitter) throws Exception {
      if (batch.isEmpty()) {
        return;
      }
      List<Pending<T>> flushing = batch;
      batch = new ArrayList<>();
      batchWeight = 0;
      long start = System.nanoTime();
      Map<Integer, Failure> failures =
          writer.write(flushing.stream().map(Pending::record).toList());
      batchMillis.update((System.nanoTime() - start) / 1_000_000);
      batches.inc();
      for (int i = 0; i < flushing.size(); i++) {
        Pending<T> pending = flushing.get(i);
        Failure failure = failures.get(i);
        if (failure == null) {
          written.inc();
          emitter.emit(writtenTag, pending.record(), pending);
        } else {
          failed.inc();
          emitter.emit(failuresTag, failure, pending);
        }
      }
    }
  }
}
