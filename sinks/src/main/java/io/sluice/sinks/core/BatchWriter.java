package io.sluice.sinks.core;

import io.sluice.transforms.model.Failure;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A store's way of writing a batch of records, the one part of a {@link StoreWrite} that differs
 * between stores. It writes every record whole or not at all, retries transient errors itself, and
 * answers with a classified failure for each record it could not write; it throws only when a
 * failure has nowhere to go (the writer of failure records), so that the runner retries the bundle
 * instead of losing it.
 */
public interface BatchWriter<T> extends AutoCloseable {
  /** The failures of the records not written, keyed by their position in {@code batch}. */
  Map<Integer, Failure> write(List<T> batch) throws Exception;

  /** Gives back the clients and connections it holds. */
  @Override
  void close();

  /** Opens a writer: once per DoFn instance, at setup, on the worker. */
  interface Factory<T> extends Serializable {
    BatchWriter<T> open() throws Exception;
  }
}
