package io.sluice.transforms.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentence-transformers model run in-process through ONNX Runtime: tokens in, mean-pooled and
 * L2-normalised vector out. Loaded once per class loader and shared by every DoFn instance.
 *
 * <p>Each text is one inference of its own, on one ONNX thread, and texts run in parallel on a
 * fixed pool. Batching several texts would pad them, and the int8 model's quantisation scales
 * depend on the whole batch, so a vector would depend on its neighbours; one text at a time makes a
 * vector a function of its text alone, bit for bit, on any runner and in any bundle.
 *
 * <p>Every {@link #acquire} is paired with a {@link #release}; the last release stops the threads
 * and closes the model. On a Flink TaskManager each job has a class loader of its own, and threads
 * left running would keep a finished job's classes and model in memory for ever.
 */
public final class SentenceEmbedder implements Embedder {
  private static final Map<ModelSpec, SentenceEmbedder> LOADED = new HashMap<>();
  private static final Logger LOG = LoggerFactory.getLogger(SentenceEmbedder.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ModelSpec spec;
  private final ModelTokenizer tokenizer;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ExecutorService pool;
  private int users;

  private SentenceEmbedder(ModelSpec spec, int threads) {
    this.spec = spec;
    this.tokenizer = ModelTokenizer.of(spec);
    this.environment = OrtEnvironment.getEnvironment();
    try (InputStream model = SentenceEmbedder.class.getResourceAsStream(spec.onnxResource());
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (model == null) {
        throw new IllegalStateException(
            "model " + spec.onnxResource() + " is not on the classpath");
      }
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      this.session = environment.createSession(model.readAllBytes(), options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + spec.name(), e);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load model " + spec.name(), e);
    }
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "sluice-embed-" + THREADS.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Opens {@link #acquire} on the worker: the factory {@link EmbedChunks} uses by default. */
  public static Embedder.Factory factory(ModelSpec spec, int threads) {
    if (spec == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    return () -> acquire(spec, threads);
  }

  /**
   * The class loader's embedder for this model, loaded if needed. The thread count of the first
   * caller wins: one pool bounds inference to the cores however many DoFn instances share it.
   */
  public static SentenceEmbedder acquire(ModelSpec spec, int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    synchronized (LOADED) {
      SentenceEmbedder embedder =
          LOADED.computeIfAbsent(spec, s -> new SentenceEmbedder(s, threads));
      embedder.users++;
      return embedder;
    }
  }

  /** Gives up one use; the last one stops the inference threads and closes the model. */
  @Override
  public void close() {
    synchronized (LOADED) {
      if (--users > 0) {
        return;
      }
      LOADED.remove(spec);
    }
    // Texts still queued will not be embedded: their callers get a CancellationException.
    pool.shutdownNow().forEach(queued -> ((Future<?>) queued).cancel(false));
    if (!inferenceStopped()) {
      // Freeing the model under a running inference crashes the JVM; leaking it does not.
      LOG.warn(
          "inference threads of {} still running after {}; the model stays loaded",
          spec.name(),
          STOP_WAIT);
      return;
    }
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot close model " + spec.name(), e);
    }
  }

  /**
   * Waits for the pool's threads to end. An inference cannot be interrupted, but each takes
   * milliseconds. The wait ignores interrupts, which a runner sends the thread that cancels a task,
   * and restores the interrupt flag afterwards.
   */
  private boolean inferenceStopped() {
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pool.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One vector per text, in order, computed in parallel. */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<Future<float[]>> pending = new ArrayList<>(texts.size());
    for (String text : texts) {
      pending.add(pool.submit(() -> embed(text)));
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    try {
      for (Future<float[]> vector : pending) {
        vectors.add(vector.get());
      }
    } catch (InterruptedException e) {
      pending.forEach(vector -> vector.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      pending.forEach(vector -> vector.cancel(true));
      throw new IllegalStateException("embedding failed: " + e.getCause(), e.getCause());
    } catch (CancellationException e) {
      throw new IllegalStateException("the model " + spec.name() + " was released", e);
    }
    return vectors;
  }

  /** The vector of one text. */
  public float[] embed(String text) throws OrtException {
    long[] ids = tokenizer.inputIds(text);
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(mask, 1L);
    long[] types = new long[ids.length];
    try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor attention = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape);
        OrtSession.Result result =
            session.run(
                Map.of(
                    "input_ids",
                    inputIds,
                    "attention_mask",
                    attention,
                    "token_type_ids",
                    typeIds))) {
      FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
      return meanPoolAndNormalise(hidden, ids.length, spec.dimension());
    }
  }

  /** Sentence-transformers pooling: the mean of the token states, scaled to unit length. */
  private static float[] meanPoolAndNormalise(FloatBuffer hidden, int tokens, int dimension) {
    double[] sum = new double[dimension];
    for (int token = 0; token < tokens; token++) {
      for (int d = 0; d < dimension; d++) {
        sum[d] += hidden.get(token * dimension + d);
      }
    }
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      sum[d] /= tokens;
      norm += sum[d] * sum[d];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] vector = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      vector[d] = (float) (sum[d] / norm);
    }
    return vector;
  }
}
