package io.sluice.bench;

import io.sluice.samples.PgliteServer;
import io.sluice.samples.SelfRetrieval;
import io.sluice.samples.StoreTransfer;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.HnswSettings;
import io.sluice.sinks.postgres.NearestChunks;
import io.sluice.sinks.postgres.PgvectorMode;
import io.sluice.sinks.postgres.SchemaMigrations;
import io.sluice.sinks.postgres.VectorIndexes;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.SentenceEmbedder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How well and how fast what an ingest stored can be searched (issue 16), on one store: questions
 * made of words from inside sampled chunks ({@link SelfRetrieval}), each asked by exact search and
 * through the HNSW index of a real pgvector (PGlite, fed the ingested rows), and by sluice's own
 * exact search on the ingest's database, which has no pgvector. Then the same on the store grown
 * tenfold with synthetic neighbours: every vector copied nine times with noise (cosine about 0.9 to
 * its original), under chunk ids of their own, the index built anew.
 *
 * <p>hit@10: the chunk a question came from is among the 10 hits. recall@10: the share of exact
 * search's 10 hits that the index returns. Latency is one {@code sluice query}'s search as its
 * command runs it (the search, its plan and the hits' text and place), without embedding the
 * question, on one connection; PGlite is PostgreSQL compiled to WebAssembly, so its times are
 * slower than a native server's, while the ratio of index to exact search holds within one run.
 */
final class Retrieval {
  /** The figures of one store; {@code indexed} holds one entry per candidate list searched. */
  record Figures(
      String store,
      long vectors,
      double buildSeconds,
      int questions,
      double hitExact,
      Latency exact,
      List<Indexed> indexed,
      Latency inSluice) {
    /** The entry for sluice's default candidate list. */
    Indexed byDefault() {
      return indexed.stream()
          .filter(entry -> entry.efSearch() == HnswSettings.DEFAULTS.efSearch())
          .findFirst()
          .orElseThrow();
    }
  }

  /** Searching through the index with one {@code hnsw.ef_search}. */
  record Indexed(int efSearch, double hit, double recall, Latency latency) {}

  /** Median and 95th percentile of one kind of search, in milliseconds. */
  record Latency(double p50, double p95) {
    static Latency of(List<Double> millis) {
      double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.95));
    }

    private static double percentile(double[] sorted, double p) {
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }
  }

  private record Question(String chunkId, float[] vector) {}

  private record Answers(List<List<String>> hits, List<Double> millis) {}

  private static final int K = 10;
  // pgvector's default candidate list and larger ones: what recall costs in latency.
  private static final int[] CANDIDATES = {40, 64, 100, 200};
  private static final int COPIES = 9;
  // Uniform noise of this width per dimension moves a unit vector of 384 dimensions by about
  // 0.45 of its length: a neighbour at cosine 0.9, near but not a tie.
  private static final double NOISE = 0.08;

  private Retrieval() {}

  /** Measures the store an ingest left in {@code ingested}, then the store grown tenfold. */
  static List<Figures> measure(DatabaseConfig ingested, Path pgliteFolder, int questions)
      throws Exception {
    HnswSettings hnsw = HnswSettings.DEFAULTS;
    VectorIndexes.Version version;
    List<Question> asked;
    Answers inSluice;
    try (Connection connection = ingested.connect()) {
      version =
          VectorIndexes.newestWithVectors(
                  VectorIndexes.versions(connection, VectorIndexes.Counting.PRESENCE))
              .orElseThrow(() -> new IllegalStateException("the ingest stored no vectors"));
      asked = questions(connection, version, questions);
      inSluice = answers(connection, version, asked, Optional.of("no pgvector"), false, hnsw, null);
    }
    List<Figures> figures = new ArrayList<>();
    try (PgliteServer pglite = PgliteServer.start(pgliteFolder)) {
      DatabaseConfig pgvector = new DatabaseConfig(pglite.jdbcUrl());
      SchemaMigrations.migrate(pgvector);
      StoreTransfer.copy(ingested.jdbcUrl(), pglite.jdbcUrl());
      figures.add(searched("corpus", pgvector, asked, hnsw, inSluice));
      try (Connection connection = pgvector.connect()) {
        growTenfold(connection, version.id());
      }
      figures.add(searched("corpus × 10, synthetic", pgvector, asked, hnsw, null));
    }
    return figures;
  }

  /** Builds the version's index on PGlite, then asks every question exactly and through it. */
  private static Figures searched(
      String store,
      DatabaseConfig pgvector,
      List<Question> asked,
      HnswSettings hnsw,
      Answers inSluice)
      throws Exception {
    VectorIndexes.ensure(pgvector, PgvectorMode.REQUIRE, hnsw);
    try (Connection connection = pgvector.connect()) {
      VectorIndexes.Version version =
          VectorIndexes.versions(connection, VectorIndexes.Counting.EXACT).stream()
              .filter(candidate -> candidate.index().isPresent())
              .reduce((older, newer) -> newer)
              .orElseThrow(() -> new IllegalStateException("PGlite built no HNSW index"));
      Answers exact = answers(connection, version, asked, Optional.empty(), true, hnsw, null);
      List<Indexed> indexed = new ArrayList<>();
      for (int efSearch : CANDIDATES) {
        HnswSettings searched = new HnswSettings(hnsw.m(), hnsw.efConstruction(), efSearch);
        Answers answers =
            answers(
                connection,
                version,
                asked,
                Optional.empty(),
                false,
                searched,
                "approximate, HNSW index");
        indexed.add(
            new Indexed(
                efSearch,
                hitRate(asked, answers),
                recall(exact, answers),
                Latency.of(answers.millis())));
      }
      return new Figures(
          store,
          version.vectors(),
          version.index().get().buildSeconds(),
          asked.size(),
          hitRate(asked, exact),
          Latency.of(exact.millis()),
          indexed,
          inSluice == null ? null : Latency.of(inSluice.millis()));
    }
  }

  /** The share of exact search's hits that the index's hits hold, over all questions. */
  private static double recall(Answers exact, Answers indexed) {
    double recall = 0;
    for (int i = 0; i < exact.hits().size(); i++) {
      Set<String> truth = new HashSet<>(exact.hits().get(i));
      recall +=
          indexed.hits().get(i).stream().filter(truth::contains).count()
              / (double) Math.max(1, truth.size());
    }
    return recall / exact.hits().size();
  }

  /** Chunks spread over the whole store (ordered by a hash of their id), long enough to ask. */
  private static List<Question> questions(
      Connection connection, VectorIndexes.Version version, int count) throws Exception {
    List<String> chunkIds = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT c.chunk_id, c.text FROM indexing.chunks c JOIN indexing.vectors v"
                + " ON v.chunk_id = c.chunk_id AND v.pipeline_run_id = ?"
                + " WHERE length(c.text) > 400 ORDER BY md5(c.chunk_id) LIMIT ?")) {
      statement.setString(1, version.id());
      statement.setInt(2, count);
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          chunkIds.add(result.getString(1));
          texts.add(SelfRetrieval.question(result.getString(2)));
        }
      }
    }
    List<Question> questions = new ArrayList<>();
    try (SentenceEmbedder embedder =
        SentenceEmbedder.acquire(ModelCatalogue.named(version.embeddingModel()), 1)) {
      for (int i = 0; i < texts.size(); i++) {
        questions.add(new Question(chunkIds.get(i), embedder.embedQuery(texts.get(i))));
      }
    }
    return questions;
  }

  private static Answers answers(
      Connection connection,
      VectorIndexes.Version version,
      List<Question> asked,
      Optional<String> exactBecause,
      boolean exact,
      HnswSettings hnsw,
      String expectedMethod)
      throws SQLException {
    List<List<String>> hits = new ArrayList<>();
    List<Double> millis = new ArrayList<>();
    for (Question question : asked) {
      long start = System.nanoTime();
      NearestChunks.Result result =
          NearestChunks.search(
              connection,
              new NearestChunks.Query(version, question.vector(), K, null, exact),
              exactBecause,
              hnsw);
      millis.add((System.nanoTime() - start) / 1e6);
      if (expectedMethod != null && !result.method().equals(expectedMethod)) {
        throw new IllegalStateException(
            "expected " + expectedMethod + ", the search was " + result.method() + ":\n" + result);
      }
      hits.add(result.hits().stream().map(NearestChunks.Hit::chunkId).toList());
    }
    return new Answers(hits, millis);
  }

  private static double hitRate(List<Question> asked, Answers answers) {
    int found = 0;
    for (int i = 0; i < asked.size(); i++) {
      found += answers.hits().get(i).contains(asked.get(i).chunkId()) ? 1 : 0;
    }
    return found / (double) asked.size();
  }

  /**
   * Nine noisy copies of every chunk and vector of the version, under ids of their own, from a
   * fixed seed, with the version's index gone, so that the next ensure builds it on all of them.
   */
  private static void growTenfold(Connection connection, String version) throws SQLException {
    String copies = "generate_series(1, " + COPIES + ") AS n";
    try (Statement statement = connection.createStatement()) {
      // First, or every copy would go into the graph one at a time.
      statement.execute("DROP INDEX indexing." + VectorIndexes.indexName(version));
      statement.execute(
          "DELETE FROM indexing.vector_indexes WHERE pipeline_run_id = '" + version + "'");
      statement.execute("SELECT setseed(0.16)");
      statement.execute(
          "INSERT INTO indexing.chunks (chunk_id, doc_id, page, ordinal, char_start, char_end,"
              + " token_count, text, text_sha256, run_id)"
              + " SELECT encode(sha256(convert_to(c.chunk_id || ':' || n, 'UTF8')), 'hex'),"
              + " c.doc_id, c.page, c.ordinal, c.char_start, c.char_end, c.token_count, c.text,"
              + " c.text_sha256, 'bench-copy' FROM indexing.chunks c, "
              + copies);
      statement.execute(
          "INSERT INTO indexing.vectors (chunk_id, pipeline_run_id, dimension, embedding, run_id)"
              + " SELECT encode(sha256(convert_to(v.chunk_id || ':' || n, 'UTF8')), 'hex'),"
              + " v.pipeline_run_id, v.dimension,"
              + " ARRAY(SELECT (e + "
              + NOISE
              + " * (random() - 0.5))::real FROM unnest(v.embedding) WITH ORDINALITY AS u(e, i)"
              + " ORDER BY i), 'bench-copy' FROM indexing.vectors v, "
              + copies
              + " WHERE v.pipeline_run_id = '"
              + version
              + "'");
    }
  }

  /** The store, exact search, sluice's own exact search, then one line per candidate list. */
  static String describe(Figures figures) {
    StringBuilder lines =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "  %-34s %d vectors · HNSW build %.1f s (m %d, ef_construction %d) · %d"
                    + " questions%n",
                figures.store(),
                figures.vectors(),
                figures.buildSeconds(),
                HnswSettings.DEFAULTS.m(),
                HnswSettings.DEFAULTS.efConstruction(),
                figures.questions()));
    lines.append(
        String.format(
            Locale.ROOT,
            "  %-34s hit@10 %.3f · p50/p95 %.1f/%.1f ms%n",
            "pgvector, exact",
            figures.hitExact(),
            figures.exact().p50(),
            figures.exact().p95()));
    if (figures.inSluice() != null) {
      lines.append(
          String.format(
              Locale.ROOT,
              "  %-34s p50/p95 %.1f/%.1f ms (the ingest's database)%n",
              "sluice, exact, without pgvector",
              figures.inSluice().p50(),
              figures.inSluice().p95()));
    }
    for (Indexed entry : figures.indexed()) {
      lines.append(
          String.format(
              Locale.ROOT,
              "  %-34s hit@10 %.3f · recall@10 %.3f · p50/p95 %.1f/%.1f ms%n",
              "HNSW, ef_search " + entry.efSearch(),
              entry.hit(),
              entry.recall(),
              entry.latency().p50(),
              entry.latency().p95()));
    }
    return lines.toString().stripTrailing();
  }
}
