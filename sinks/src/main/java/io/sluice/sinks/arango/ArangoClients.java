package io.sluice.sinks.arango;

import com.arangodb.ArangoDB;
import io.sluice.sinks.core.SharedClients;

/**
 * One ArangoDB driver client per server and class loader, shared by every DoFn that writes to it in
 * this JVM (the driver is thread-safe and pools its own connections): a worker's connections do not
 * grow with its parallelism. The last lease shuts the client down.
 */
final class ArangoClients {
  private static final SharedClients<ArangoConfig, ArangoDB> CLIENTS =
      new SharedClients<>(ArangoConfig::connect, ArangoDB::shutdown);

  private ArangoClients() {}

  static SharedClients<ArangoConfig, ArangoDB>.Lease lease(ArangoConfig config) {
    return CLIENTS.lease(config);
  }
}
