package io.sluice.transforms.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.sluice.transforms.keys.Keys;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * A BERT-style encoder run in process through ONNX Runtime: the model's prefix and the text as
 * tokens in, its token states pooled ({@link Pooling}) and, for every catalogue model, scaled to
 * unit length. Loaded once per class loader and shared by every DoFn instance.
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
  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final ModelSpec spec;
  private final ModelTokenizer tokenizer;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Set<String> inputs;
  private final ExecutorService pool;
  private int users;

  private SentenceEmbedder(ModelSpec spec, int threads) {
    this.spec = spec;
    byte[] model = ModelFiles.read(spec.onnx());
    // The model's bytes are hashed as read, not read again (a model is tens of megabytes).
    if (spec.filesSha256() != null
        && !(Keys.sha256Hex(model) + "+" + ModelFiles.sha256(spec.tokenizer()))
            .equals(spec.filesSha256())) {
      throw new IllegalStateException(
          "the files of model "
              + spec.name()
              + " changed since the job started ("
              + spec.onnx()
              + ", "
              + spec.tokenizer()
              + "): their vectors would not be those of its index version");
    }
    this.tokenizer = ModelTokenizer.of(spec);
    this.environment = OnnxEnvironment.get();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      this.session = environment.createSession(model, options);
      this.inputs = session.getInputNames();
      if (!inputs.containsAll(Set.of(INPUT_IDS, ATTENTION_MASK))) {
        throw new IllegalArgumentException(
            "model "
                + spec.name()
                + " is not a BERT-style encoder: its inputs are "
                + inputs
                + ", not input_ids and attention_mask");
      }
      // A declared dimension the model does not give is an error here, before any document.
      embedInput("dimension check");
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime cannot load model " + spec.name() + ": " + e.getMessage(), e);
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

  /** One vector per passage, in order, computed in parallel, each after the passage prefix. */
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

  /** The vector of one passage (a chunk's text), after the model's passage prefix. */
  public float[] embed(String text) throws OrtException {
    return embedInput(spec.passagePrefix() + text);
  }

  /** The vector of a question, after the model's query prefix. */
  @Override
  public float[] embedQuery(String question) {
    try {
      return embedInput(spec.queryPrefix() + question);
    } catch (OrtException e) {
      throw new IllegalStateException("embedding the question failed: " + e.getMessage(), e);
    }
  }

  private float[] embedInput(String input) throws OrtException {
    long[] ids = tokenizer.inputIds(input);
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(mask, 1L);
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
      feed.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
      if (inputs.contains(TOKEN_TYPE_IDS)) {
        feed.put(
            TOKEN_TYPE_IDS,
            OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape));
      }
      try (OrtSession.Result result = session.run(feed)) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        int width = hidden.remaining() / ids.length;
        if (width != spec.dimension()) {
          throw new IllegalArgumentException(
              "model "
                  + spec.name()
                  + " gives vectors of "
                  + width
                  + " dimensions, not the "
                  + spec.dimension()
                  + " declared");
        }
        return spec.pooling().vector(hidden, ids.length, width, spec.normalise());
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }
}
