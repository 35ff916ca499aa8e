package io.sluice.sinks.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay on loopback in front of a PostgreSQL server that cuts the first connection through it
 * the moment its client sends a given statement, as a failover or a dropped link would: the client
 * sees its socket close mid-question. Connections after the first are relayed untouched. The
 * statement is looked for as text in what the client writes, so the client must not use TLS (the
 * embedded test server offers none).
 */
final class CuttingRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final DatabaseConfig database;
  private final URI server;
  private final String cutAt;
  private final AtomicBoolean cutDone = new AtomicBoolean();

  private CuttingRelay(DatabaseConfig database, String statement) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.database = database;
    this.server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
    this.cutAt = statement;
    Thread acceptor = new Thread(this::accept, "cutting-relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * A relay in front of the database's server that cuts its first connection at {@code statement}.
   */
  static CuttingRelay cuttingFirstConnectionAt(DatabaseConfig database, String statement)
      throws IOException {
    return new CuttingRelay(database, statement);
  }

  /** The database, reached through this relay. */
  DatabaseConfig database() {
    String authority = server.getHost() + ":" + server.getPort();
    return new DatabaseConfig(
        database.jdbcUrl().replace(authority, "127.0.0.1:" + listener.getLocalPort()),
        database.limits());
  }

  /** Whether a connection has been cut. */
  boolean cut() {
    return cutDone.get();
  }

  private void accept() {
    boolean first = true;
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket(server.getHost(), server.getPort());
        pump(upstream.getInputStream(), client.getOutputStream(), client, upstream, false);
        pump(client.getInputStream(), upstream.getOutputStream(), client, upstream, first);
        first = false;
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(
      InputStream from, OutputStream to, Socket client, Socket upstream, boolean cutting) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (client;
                  upstream) {
                for (int read; (read = from.read(buffer)) > 0; ) {
                  // ISO-8859-1 maps each byte to one char, so the search sees the bytes as sent.
                  if (cutting
                      && new String(buffer, 0, read, StandardCharsets.ISO_8859_1).contains(cutAt)) {
                    cutDone.set(true);
                    return;
                  }
                  to.write(buffer, 0, read);
                  to.flush();
                }
              } catch (IOException gone) {
                // One side closed: closing both ends the relayed connection, as intended.
              }
            },
            "cutting-relay-pump");
    pump.setDaemon(true);
    pump.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
