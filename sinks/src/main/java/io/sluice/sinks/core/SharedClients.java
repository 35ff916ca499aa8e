package io.sluice.sinks.core;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Clients of a store (a connection pool, a driver) shared by every DoFn in this JVM and class
 * loader that talks to the same store: one per key, opened by the first lease, closed when the last
 * lease is given back. DoFns lease at setup and close the lease at teardown, so what a worker holds
 * of a store does not grow with its parallelism.
 */
public final class SharedClients<K, C> {
  private final Function<K, C> open;
  private final Consumer<C> close;
  private final Map<K, Shared<C>> clients = new HashMap<>();

  /** A client and how many leases hold it. */
  private static final class Shared<C> {
    final C client;
    int leases;

    Shared(C client) {
      this.client = client;
    }
  }

  /** A DoFn's hold on a shared client; closing it twice gives it back once. */
  public final class Lease implements AutoCloseable {
    private final K key;
    private final C client;
    private boolean closed;

    private Lease(K key, C client) {
      this.key = key;
      this.client = client;
    }

    public C client() {
      return client;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(key);
      }
    }
  }

  /** Clients opened by {@code open} and closed, after their last lease, by {@code close}. */
  public SharedClients(Function<K, C> open, Consumer<C> close) {
    this.open = open;
    this.close = close;
  }

  public synchronized Lease lease(K key) {
    Shared<C> shared = clients.computeIfAbsent(key, k -> new Shared<>(open.apply(k)));
    shared.leases++;
    return new Lease(key, shared.client);
  }

  /** Whether no client is open, so that what they all needed can go too. */
  public synchronized boolean isEmpty() {
    return clients.isEmpty();
  }

  private synchronized void release(K key) {
    Shared<C> shared = clients.get(key);
    if (shared != null && --shared.leases == 0) {
      clients.remove(key);
      close.accept(shared.client);
    }
  }
}
