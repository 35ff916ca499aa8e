package io.sluice.transforms.embed;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * The vectors the store already holds for the index version being written, by the SHA-256 of the
 * text they embed. A vector is a function of its text alone (same text, same model, same bits), so
 * a chunk whose text was embedded before, in this document, another one or an earlier version of
 * the same source, can take the stored vector instead of being embedded again.
 */
public interface StoredVectors extends AutoCloseable {
  /** The stored vector of each of these text hashes that has one; the others are left out. */
  Map<String, float[]> find(Set<String> textSha256s);

  /** Gives back what {@link Factory#open()} took. */
  @Override
  void close();

  /** Opens the lookup of one DoFn instance, on the worker, at setup. */
  interface Factory extends Serializable {
    StoredVectors open();
  }
}
