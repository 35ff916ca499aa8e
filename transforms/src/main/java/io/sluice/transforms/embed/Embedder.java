package io.sluice.transforms.embed;

import java.io.Serializable;
import java.util.List;

/**
 * Turns texts into vectors, one per text, in order; {@link SentenceEmbedder} is sluice's in-process
 * model. Passages (chunks) and questions are embedded apart, since a model may want a prefix before
 * each that differs.
 */
public interface Embedder extends AutoCloseable {
  List<float[]> embedAll(List<String> passages);

  float[] embedQuery(String question);

  /** Gives back what {@link Factory#open()} took (a shared model, a client). */
  @Override
  void close();

  /** Opens the embedder of one DoFn instance, on the worker, at setup. */
  interface Factory extends Serializable {
    Embedder open();
  }
}
