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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sentence-transformers model run in-process through ONNX Runtime: tokens in, mean-pooled and
 * L2-normalised vector out. Loaded once per JVM and shared by every DoFn instance.
 *
 * <p>Each text is one inference of its own, on one ONNX thread, and texts run in parallel on a
 * fixed pool. Batching several texts would pad them, and the int8 model's quantisation scales
 * depend on the whole batch, so a vector would depend on its neighbours; one text at a time
 * makes a vector a function of its text alone, bit for bit, on any runner and in any bundle.
 */
public final class SentenceEmbedder {
  private static final Map<ModelSpec, SentenceEmbedder> LOADED = new ConcurrentHashMap<>();
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ModelSpec spec;
  private final ModelTokenizer tokenizer;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ExecutorService pool;

  private SentenceEmbedder(ModelSpec spec, int threads) {
    this.spec = spec;
    this.tokenizer = ModelTokenizer.of(spec);
    this.environment = OrtEnvironment.getEnvironment();
    try (InputStream model = SentenceEmbedder.class.getResourceAsStream(spec.onnxResource());
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (model == null) {
        throw new IllegalStateException("model " + spec.onnxResource() + " is not on the classpath");
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
    this.pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "sluice-embed-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * The JVM's embedder for this model. The thread count of the first caller wins: one pool per
   * JVM bounds inference to the cores however many DoFn instances share it.
   */
  public static SentenceEmbedder shared(ModelSpec spec, int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    return LOADED.computeIfAbsent(spec, s -> new SentenceEmbedder(s, threads));
  }

  /** One vector per text, in order, computed in parallel. */
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
        OrtSession.Result result = session.run(Map.of(
            "input_ids", inputIds, "attention_mask", attention, "token_type_ids", typeIds))) {
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
