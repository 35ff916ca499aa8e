package io.sluice.bench;

import io.sluice.pipelines.cli.Sluice;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.RunLedger;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code sluice status} and one progress tick cost on a big store ({@link SyntheticStore},
 * issue 18's ten million chunk rows): each measured several times in this JVM after one unmeasured
 * call, the median kept. The progress tick is the Flink line's (the run's sources, stored documents
 * and failures, and its chunks stored), on the last run, the one a live run would be.
 */
final class StatusAtScale {
  private static final int ROUNDS = 5;

  record Figures(
      SyntheticStore.Shape shape,
      double writeSeconds,
      long databaseBytes,
      double statusMillis,
      double statusDocMillis,
      double statusIndexVersionsMillis,
      double progressTickMillis) {}

  private StatusAtScale() {}

  static Figures measure(DatabaseConfig database, long chunks) throws Exception {
    long started = System.nanoTime();
    SyntheticStore.Shape shape = SyntheticStore.write(database, chunks);
    double writeSeconds = (System.nanoTime() - started) / 1e9;
    String url = "--databaseUrl=" + database.jdbcUrl();
    RunLedger ledger = new RunLedger(database);
    return new Figures(
        shape,
        writeSeconds,
        databaseBytes(database),
        median(() -> cli("status", url)),
        median(() -> cli("status", url, "--doc=" + shape.aSource())),
        median(() -> cli("status", url, "--indexVersions")),
        median(
            () -> {
              ledger.progress(shape.lastRun());
              ledger.chunksWritten(shape.lastRun());
            }));
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void cli(String... args) {
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    int exit = Sluice.run(args, discard, discard);
    if (exit != 0) {
      throw new IllegalStateException("sluice " + String.join(" ", args) + " exited " + exit);
    }
  }

  private static double median(Call call) throws Exception {
    call.run();
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      long start = System.nanoTime();
      call.run();
      millis.add((System.nanoTime() - start) / 1e6);
    }
    Collections.sort(millis);
    return millis.get(ROUNDS / 2);
  }

  private static long databaseBytes(DatabaseConfig database) throws Exception {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet size = statement.executeQuery("SELECT pg_database_size(current_database())")) {
      size.next();
      return size.getLong(1);
    }
  }
}
