package io.sluice.bench;

import io.sluice.samples.EmbeddedPostgresServer;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Source;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * P3's two sides, measured in alternating rounds, each on fresh databases of one server: COPY's
 * limits, then sluice's sink writing the same documents. The corpus's embedded documents are
 * repeated, each copy under keys of its own, until they make {@link #ROWS} rows: on the corpus
 * alone (23,086 rows for the 42 real PDFs) a side took about a second, which the sink's start (its
 * connection pool, its first statements) and one background burst of a shared machine moved by
 * half. The round with the median ratio is the one reported, and all rounds are printed.
 */
final class SinkAgainstCopy {
  /** One round: COPY's three limits and the sink's rate, measured one after the other. */
  record Round(CopyBinary.Limits copy, Rate sink) {
    /** P3: the sink against COPY into logged tables with keys. */
    double ratio() {
      return sink.perSecond() / copy.durable().perSecond();
    }
  }

  /** Chunk and vector rows each side writes, at least. */
  static final long ROWS = 100_000;

  private SinkAgainstCopy() {}

  static List<Round> measure(
      EmbeddedPostgresServer server,
      List<DocumentRecord> documents,
      RunContext run,
      int batchDocuments,
      int batchSize,
      int rounds)
      throws Exception {
    List<DocumentRecord> workload = repeated(documents, ROWS);
    List<Round> measured = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      CopyBinary.Limits copy =
          CopyBinary.measure(
              Bench.migrated(server, "bench_copy_" + round), workload, run.indexVersion());
      Rate sink =
          SinkThroughput.write(
              Bench.migrated(server, "bench_sink_" + round),
              workload,
              run,
              batchDocuments,
              batchSize);
      measured.add(new Round(copy, sink));
    }
    return measured;
  }

  /**
   * The documents, then copies of them until they hold {@code rows} chunk and vector rows: the same
   * texts and vectors under a copy's own document, source and chunk keys, so that no copy upserts
   * over another.
   */
  static List<DocumentRecord> repeated(List<DocumentRecord> documents, long rows) {
    long perPass = 2L * documents.stream().mapToLong(document -> document.chunks().size()).sum();
    if (perPass == 0) {
      throw new IllegalArgumentException("the documents have no chunks to write");
    }
    List<DocumentRecord> workload = new ArrayList<>(documents);
    for (int copy = 1; (long) (copy) * perPass < rows; copy++) {
      for (DocumentRecord document : documents) {
        workload.add(copyOf(document, copy));
      }
    }
    return workload;
  }

  private static DocumentRecord copyOf(DocumentRecord document, int copy) {
    Source source = document.source();
    String docId = Keys.sha256Hex("copy " + copy + " of " + source.docId());
    List<Chunk> chunks =
        document.chunks().stream()
            .map(
                chunk ->
                    new Chunk(
                        Keys.chunkId(
                            docId, chunk.page(), chunk.charStart(), chunk.charEnd(), chunk.text()),
                        chunk.page(),
                        chunk.ordinal(),
                        chunk.charStart(),
                        chunk.charEnd(),
                        chunk.tokenCount(),
                        chunk.text(),
                        chunk.textSha256(),
                        chunk.embedding()))
            .toList();
    return new DocumentRecord(
        new Source(source.uri() + "#copy-" + copy, docId, source.sizeBytes()),
        document.metadata(),
        List.of(),
        chunks);
  }

  static Round median(List<Round> rounds) {
    List<Round> sorted = rounds.stream().sorted(Comparator.comparingDouble(Round::ratio)).toList();
    return sorted.get(sorted.size() / 2);
  }

  /**
   * A measured database goes at once: left, its hundreds of thousands of new rows would have
   * autovacuum read them during the next measurement, on the same two cores.
   */
  private static void drop(EmbeddedPostgresServer server, String name) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE \"" + name + "\" WITH (FORCE)");
    }
  }
}
