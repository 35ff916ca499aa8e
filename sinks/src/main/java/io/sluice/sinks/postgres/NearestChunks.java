package io.sluice.sinks.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The chunks of one index version nearest to a query vector by cosine similarity: through the
 * version's HNSW index when pgvector has one, by pgvector's exact scan when it has none, and in
 * sluice itself, over the stored {@code real[]} vectors, on a database without pgvector. The score
 * is the cosine similarity, 1 for the same direction.
 */
public final class NearestChunks {
  /** One result, ranked from 1. */
  public record Hit(
      int rank,
      double score,
      String chunkId,
      String docId,
      String sourceUri,
      int page,
      int charStart,
      int charEnd,
      String text) {}

  /** The hits, how they were found and why that way, and the planner's plan where there is one. */
  public record Result(List<Hit> hits, String method, String why, String plan) {}

  /** What to search: a version, how many hits, and optionally only sources matching a glob. */
  public record Query(
      VectorIndexes.Version version, float[] vector, int k, String sourceGlob, boolean exact) {
    public Query {
      if (k < 1) {
        throw new IllegalArgumentException("--k must be at least 1, got " + k);
      }
      if (vector.length != version.dimension()) {
        throw new IllegalArgumentException(
            "the query vector has "
                + vector.length
                + " dimensions, index version "
                + version.id()
                + " has "
                + version.dimension());
      }
    }
  }

  private record Scored(String chunkId, double score) {}

  private record Place(
      String docId, String sourceUri, int page, int charStart, int charEnd, String text) {}

  private static final Comparator<Scored> BEST_FIRST =
      Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::chunkId);
  private static final int FETCH_SIZE = 2_000;

  private NearestChunks() {}

  /**
   * Searches as well as this database allows.
   *
   * @param exactBecause why pgvector cannot be used, empty when it can
   */
  public static Result search(
      Connection connection, Query query, Optional<String> exactBecause, HnswSettings hnsw)
      throws SQLException {
    if (exactBecause.isPresent()) {
      List<Scored> best = scanInSluice(connection, query);
      return new Result(
          details(connection, query, best),
          "exact, in sluice",
          exactBecause.get() + ": every vector of the version compared with the query",
          null);
    }
    boolean filtered = query.sourceGlob() != null;
    Optional<String> unindexedBecause =
        query.exact()
            ? Optional.of("--exact")
            : query.version().index().isEmpty()
                ? Optional.of(
                    "index version "
                        + query.version().id()
                        + " has no HNSW index yet (sluice index --build)")
                : filtered && !iterativeScans(connection)
                    ? Optional.of(
                        "--source with a pgvector older than 0.8.0, whose HNSW scan would stop"
                            + " before k matching chunks")
                    : Optional.empty();
    boolean indexed = unindexedBecause.isEmpty();
    String why =
        indexed
            ? String.format(
                Locale.ROOT,
                "HNSW index %s %s, hnsw.ef_search=%d%s",
                query.version().index().get().indexName(),
                query.version().index().get().parameters(),
                hnsw.efSearchFor(query.k()),
                filtered ? ", hnsw.iterative_scan=strict_order for --source" : "")
            : unindexedBecause.get() + ": every vector of the version compared by pgvector";
    connection.setAutoCommit(false);
    try {
      try (Statement settings = connection.createStatement()) {
        if (indexed) {
          settings.execute("SET LOCAL hnsw.ef_search = " + hnsw.efSearchFor(query.k()));
          if (filtered) {
            // Without it the scan ends after ef_search candidates, most of them filtered out.
            settings.execute("SET LOCAL hnsw.iterative_scan = strict_order");
          }
        } else {
          settings.execute("SET LOCAL enable_indexscan = off");
        }
      }
      String sql = pgvectorSql(query);
      String plan = plan(connection, sql, query);
      List<Scored> best = new ArrayList<>();
      try (PreparedStatement statement = bound(connection, sql, query);
          ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          best.add(new Scored(result.getString(1), result.getDouble(2)));
        }
      }
      List<Hit> hits = details(connection, query, best);
      connection.commit();
      String method =
          plan.contains(VectorIndexes.indexName(query.version().id()))
              ? "approximate, HNSW index"
              : "exact, pgvector";
      return new Result(hits, method, why, plan);
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  /** Whether the extension can go on scanning an HNSW index past a filter (pgvector 0.8.0). */
  private static boolean iterativeScans(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT string_to_array(extversion, '.')::int[] >= '{0,8,0}'"
                    + " FROM pg_extension WHERE extname = 'vector'")) {
      return result.next() && result.getBoolean(1);
    }
  }

  /**
   * Orders by the indexed expression itself, under the index's own predicate (the version id as a
   * literal, which the planner needs to match the partial index), and by nothing else: a second
   * sort key would keep the index from supplying the order.
   */
  private static String pgvectorSql(Query query) {
    String vector = "vector(" + query.version().dimension() + ")";
    return "SELECT v.chunk_id, 1 - ((v.embedding::"
        + vector
        + ") <=> ?::"
        + vector
        + ") FROM indexing.vectors v WHERE v.pipeline_run_id = "
        + VectorIndexes.versionLiteral(query.version().id())
        + sourceFilter(query)
        + " ORDER BY (v.embedding::"
        + vector
        + ") <=> ?::"
        + vector
        + " LIMIT "
        + query.k();
  }

  private static String sourceFilter(Query query) {
    return query.sourceGlob() == null
        ? ""
        : " AND EXISTS (SELECT 1 FROM indexing.chunks c JOIN ingestion.sources s"
            + " ON s.doc_id = c.doc_id WHERE c.chunk_id = v.chunk_id AND s.source_uri ~ ?)";
  }

  private static PreparedStatement bound(Connection connection, String sql, Query query)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    String literal = vectorLiteral(query.vector());
    int next = 1;
    statement.setString(next++, literal);
    if (query.sourceGlob() != null) {
      statement.setString(next++, globRegex(query.sourceGlob()));
    }
    statement.setString(next, literal);
    return statement;
  }

  private static String plan(Connection connection, String sql, Query query) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement explain = bound(connection, "EXPLAIN " + sql, query);
        ResultSet result = explain.executeQuery()) {
      while (result.next()) {
        plan.append(result.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  /** pgvector's text form; {@link Float#toString} gives the shortest digits that read back. */
  static String vectorLiteral(float[] vector) {
    StringBuilder literal = new StringBuilder("[");
    for (int i = 0; i < vector.length; i++) {
      literal.append(i == 0 ? "" : ",").append(vector[i]);
    }
    return literal.append(']').toString();
  }

  /**
   * A shell-style glob over whole source URIs as a PostgreSQL regular expression: {@code *} any run
   * of characters, {@code ?} one, everything else itself.
   */
  static String globRegex(String glob) {
    StringBuilder regex = new StringBuilder("^");
    for (String part : glob.split("(?=[*?])|(?<=[*?])")) {
      regex.append(
          switch (part) {
            case "*" -> ".*";
            case "?" -> ".";
            default -> part.replaceAll("[\\\\.^$|()\\[\\]{}+*?]", "\\\\$0");
          });
    }
    return regex.append('$').toString();
  }

  /** Every vector of the version read once, the k best kept. */
  private static List<Scored> scanInSluice(Connection connection, Query query) throws SQLException {
    double queryNorm = norm(query.vector());
    PriorityQueue<Scored> best = new PriorityQueue<>(BEST_FIRST.reversed());
    connection.setAutoCommit(false);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT v.chunk_id, v.embedding FROM indexing.vectors v WHERE v.pipeline_run_id = ?"
                + sourceFilter(query))) {
      statement.setFetchSize(FETCH_SIZE);
      statement.setString(1, query.version().id());
      if (query.sourceGlob() != null) {
        statement.setString(2, globRegex(query.sourceGlob()));
      }
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          Array array = result.getArray(2);
          Float[] stored = (Float[]) array.getArray();
          double dot = 0;
          double storedNorm = 0;
          for (int d = 0; d < stored.length; d++) {
            dot += query.vector()[d] * (double) stored[d];
            storedNorm += stored[d] * (double) stored[d];
          }
          best.add(new Scored(result.getString(1), dot / (queryNorm * Math.sqrt(storedNorm))));
          if (best.size() > query.k()) {
            best.poll();
          }
        }
      }
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
    List<Scored> ranked = new ArrayList<>(best);
    ranked.sort(BEST_FIRST);
    return ranked;
  }

  private static double norm(float[] vector) {
    double sum = 0;
    for (float value : vector) {
      sum += value * (double) value;
    }
    return Math.sqrt(sum);
  }

  /** The chunks' text, place and a source of their document (one that matches the glob). */
  private static List<Hit> details(Connection connection, Query query, List<Scored> best)
      throws SQLException {
    Map<String, Place> places = new HashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT c.chunk_id, c.doc_id, c.page, c.char_start, c.char_end, c.text,"
                + " (SELECT min(s.source_uri) FROM ingestion.sources s WHERE s.doc_id = c.doc_id"
                + (query.sourceGlob() == null ? "" : " AND s.source_uri ~ ?")
                + ") FROM indexing.chunks c WHERE c.chunk_id = ANY (?)")) {
      int next = 1;
      if (query.sourceGlob() != null) {
        statement.setString(next++, globRegex(query.sourceGlob()));
      }
      statement.setArray(
          next, connection.createArrayOf("text", best.stream().map(Scored::chunkId).toArray()));
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          places.put(
              result.getString(1),
              new Place(
                  result.getString(2),
                  result.getString(7),
                  result.getInt(3),
                  result.getInt(4),
                  result.getInt(5),
                  result.getString(6)));
        }
      }
    }
    List<Hit> hits = new ArrayList<>();
    for (Scored scored : best) {
      Place place = places.get(scored.chunkId());
      // A vector without its chunk breaks the store's references (sluice status counts them).
      if (place != null) {
        hits.add(
            new Hit(
                hits.size() + 1,
                scored.score(),
                scored.chunkId(),
                place.docId(),
                place.sourceUri(),
                place.page(),
                place.charStart(),
                place.charEnd(),
                place.text()));
      }
    }
    return hits;
  }
}
