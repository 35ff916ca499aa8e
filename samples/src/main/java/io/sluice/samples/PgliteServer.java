package io.sluice.samples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL with the real pgvector, for tests and the bench: PGlite (PostgreSQL compiled to
 * WebAssembly, from npm) with its pgvector extension, served on a loopback port by pglite-socket
 * and run by the machine's Node.js. The packages are installed into a folder of the caller's (npm's
 * own cache makes a second install quick); the database lives in memory and ends with the server.
 *
 * <p>Its limits, which callers must respect: one connection at a time (a second one waits until the
 * first closes), and {@code COPY … FROM STDIN} ends the server, so sluice's binary COPY write path
 * cannot run against it.
 */
public final class PgliteServer implements AutoCloseable {
  /** The versions that work together: pglite-socket and the extension pin the PGlite they need. */
  static final List<String> PACKAGES =
      List.of(
          "@electric-sql/pglite@0.5.14",
          "@electric-sql/pglite-socket@0.2.17",
          "@electric-sql/pglite-pgvector@0.0.15");

  private static final Path SERVER_SCRIPT =
      Path.of("node_modules", "@electric-sql", "pglite-socket", "dist", "scripts", "server.js");
  private static final int CONNECTIONS = 4;
  private static final Duration INSTALL_LIMIT = Duration.ofMinutes(10);
  private static final Duration START_LIMIT = Duration.ofMinutes(3);

  private final Process process;
  private final int port;

  private PgliteServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Why PGlite cannot run here (no Node.js or npm on the PATH), or empty when it can. */
  public static Optional<String> unavailable() {
    for (String tool : List.of("node", "npm")) {
      try {
        Process check = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        if (check.waitFor() != 0) {
          return Optional.of(tool + " --version failed");
        }
      } catch (IOException e) {
        return Optional.of("no " + tool + " on the PATH (PGlite needs Node.js 20 and npm)");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while looking for " + tool);
      }
    }
    return Optional.empty();
  }

  /** Installs the packages into {@code folder} if they are not there yet, then starts a server. */
  public static PgliteServer start(Path folder) throws IOException, InterruptedException {
    install(folder);
    int port = freePort();
    Path log = folder.resolve("pglite-server-" + port + ".log");
    Process process =
        new ProcessBuilder(
                "node",
                SERVER_SCRIPT.toString(),
                "--db=memory://",
                "--host=127.0.0.1",
                "--port=" + port,
                // One backend serves every connection, a query at a time; without this a second
                // connection is refused, and Flyway opens two.
                "--max-connections=" + CONNECTIONS,
                "--extensions=@electric-sql/pglite-pgvector:vector")
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PgliteServer server = new PgliteServer(process, port);
    try {
      server.awaitConnection(log);
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static void install(Path folder) throws IOException, InterruptedException {
    if (Files.exists(folder.resolve(SERVER_SCRIPT))) {
      return;
    }
    Files.createDirectories(folder);
    // A package.json of its own keeps npm from walking up to a project that is not ours.
    Files.writeString(
        folder.resolve("package.json"), "{\"name\":\"sluice-pglite\",\"private\":true}");
    List<String> command =
        new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--save-exact"));
    command.addAll(PACKAGES);
    Path log = folder.resolve("npm-install.log");
    Process npm =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!npm.waitFor(INSTALL_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      npm.destroyForcibly();
      throw new IOException("npm install of PGlite took longer than " + INSTALL_LIMIT);
    }
    if (npm.exitValue() != 0) {
      throw new IOException(
          "npm install of " + PACKAGES + " failed:\n" + Files.readString(log).strip());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Waits until the server answers a query: PGlite loads its WebAssembly first, seconds of CPU. */
  private void awaitConnection(Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the PGlite server ended:\n" + Files.readString(log).strip());
      }
      try (Connection connection = DriverManager.getConnection(jdbcUrl())) {
        connection.createStatement().execute("SELECT 1");
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw new IOException(
        "the PGlite server did not answer within "
            + START_LIMIT
            + ": "
            + (last == null ? "" : last.getMessage())
            + "\n"
            + Files.readString(log).strip());
  }

  /**
   * The JDBC URL of its one database. PGlite takes any user; SSL is off and the driver must not ask
   * for it; and it must not name prepared statements on the server, where every connection shares
   * one session and a second connection's {@code S_1} collides with the first's.
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/postgres?user=postgres&sslmode=disable&prepareThreshold=0";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
