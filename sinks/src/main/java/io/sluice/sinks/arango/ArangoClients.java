package io.sluice.sinks.arango;

import com.arangodb.ArangoDB;
import java.util.HashMap;
import java.util.Map;

/**
 * One ArangoDB driver client per server and class loader, shared by every DoFn that writes to it in
 * this JVM (the driver is thread-safe and pools its own connections): a worker's connections do not
 * grow with its parallelism. DoFns lease the client at setup and give it back at teardown; the last
 * lease shuts it down.
 */
final class ArangoClients {
  private static final Map<ArangoConfig, Shared> CLIENTS = new HashMap<>();

  private ArangoClients() {}

  private static final class Shared {
    final ArangoDB client;
    int leases;

    Shared(ArangoDB client) {
      this.client = client;
    }
  }

  /** A DoFn's hold on the shared client. */
  static final class Lease implements AutoCloseable {
    private final ArangoConfig config;
    private final ArangoDB client;
    private boolean closed;

    private Lease(ArangoConfig config, ArangoDB client) {
      this.config = config;
      this.client = client;
    }

    ArangoDB client() {
      return client;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(config);
      }
    }
  }

  static synchronized Lease lease(ArangoConfig config) {
    Shared shared = CLIENTS.computeIfAbsent(config, c -> new Shared(c.connect()));
    shared.leases++;
    return new Lease(config, shared.client);
  }

  private static synchronized void release(ArangoConfig config) {
    Shared shared = CLIENTS.get(config);
    if (shared != null && --shared.leases == 0) {
      CLIENTS.remove(config);
      shared.client.shutdown();
    }
  }
}
