package io.sluice.sinks.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgvector's side of the store: the extension, one HNSW index per index version and the view RAG
 * frameworks read (schema version 5). Vectors stay {@code real[]}; the index is a partial index on
 * the cast {@code embedding::vector(n)} of one version's rows, so the binary COPY write path, the
 * dimension check and exactly-once writes are the same with or without pgvector, and a query
 * reaches the index by ordering on that same expression under that same predicate.
 */
public final class VectorIndexes {
  private static final Logger LOG = LoggerFactory.getLogger(VectorIndexes.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  // Interpolated into DDL as an identifier and a literal: nothing else may reach it.
  private static final Pattern VERSION_ID = Pattern.compile("iv-[0-9a-f]{16}");
  // An HNSW build is several times faster while its graph fits in maintenance_work_mem (64 MB by
  // default, about 40,000 vectors of 384 dimensions); the setting is the session's own.
  private static final String BUILD_MEMORY = "512MB";
  private static final List<String> VIEW_COLUMNS =
      List.of("embedding_id", "embedding", "text", "metadata", "id", "content");

  /**
   * An index version as stored, with its vector count, its index if it has one, and the provider
   * and source of its vectors ({@code EmbeddingProvenance}; null for versions older than that).
   */
  public record Version(
      String id,
      String embeddingModel,
      int dimension,
      int chunkSize,
      int chunkOverlap,
      String chunkUnit,
      boolean acrossPages,
      long vectors,
      Optional<Index> index,
      @Nullable String provider,
      @Nullable String source) {}

  /** A version's HNSW index and view as recorded when they were built. */
  public record Index(
      String indexName,
      String viewName,
      String parameters,
      long vectorsIndexed,
      double buildSeconds) {}

  /**
   * What {@link #ensure} found or did: why search is exact ({@code null} when pgvector is used),
   * one line per index version, and whether a build failed.
   */
  public record Report(String exactBecause, List<String> lines, boolean buildFailed) {}

  private VectorIndexes() {}

  /** The name of a version's HNSW index in schema {@code indexing}. */
  public static String indexName(String version) {
    return "vectors_hnsw_" + identifier(version);
  }

  /** The view of a version's chunks, vectors and metadata, for RAG frameworks. */
  public static String viewName(String version) {
    return "search." + identifier(version);
  }

  /** The version id as an SQL literal, for a partial index's predicate and the queries on it. */
  static String versionLiteral(String version) {
    return "'" + checked(version) + "'";
  }

  private static String identifier(String version) {
    return checked(version).replace('-', '_');
  }

  private static String checked(String version) {
    if (!VERSION_ID.matcher(version).matches()) {
      throw new IllegalArgumentException("not an index version id: '" + version + "'");
    }
    return version;
  }

  /**
   * Why search on this database is exact, after making pgvector usable as the mode allows (creating
   * the extension when it is available and not yet created); empty when pgvector is there.
   *
   * @throws IllegalArgumentException {@link PgvectorMode#REQUIRE} on a database without it
   */
  public static Optional<String> exactBecause(Connection connection, PgvectorMode mode)
      throws SQLException {
    if (mode == PgvectorMode.OFF) {
      return Optional.of("--pgvector=off");
    }
    if (installed(connection)) {
      return Optional.empty();
    }
    Optional<String> missing = Optional.of("the database has no pgvector extension");
    if (available(connection)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        LOG.info("created the pgvector extension");
        return Optional.empty();
      } catch (SQLException e) {
        missing =
            Optional.of(
                "pgvector is available but cannot be created here ("
                    + PostgresErrors.firstLine(e)
                    + "); a superuser can run CREATE EXTENSION vector");
      }
    }
    if (mode == PgvectorMode.REQUIRE) {
      throw new IllegalArgumentException("--pgvector=require, but " + missing.get());
    }
    return missing;
  }

  private static boolean installed(Connection connection) throws SQLException {
    return exists(connection, "SELECT 1 FROM pg_extension WHERE extname = 'vector'");
  }

  private static boolean available(Connection connection) throws SQLException {
    return exists(connection, "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
  }

  private static boolean exists(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      return result.next();
    }
  }

  /**
   * Gives every index version that has vectors its HNSW index and view, where pgvector is there;
   * versions that have them are left as they are. Later writes go into the index as they land.
   */
  public static Report ensure(DatabaseConfig database, PgvectorMode mode, HnswSettings hnsw)
      throws SQLException {
    try (Connection connection = database.connect()) {
      Optional<String> exact = exactBecause(connection, mode);
      if (exact.isPresent()) {
        return new Report(exact.get(), List.of("exact search: " + exact.get()), false);
      }
      List<String> lines = new ArrayList<>();
      boolean failed = false;
      for (Version version : versions(connection, Counting.PRESENCE)) {
        if (version.vectors() == 0) {
          continue;
        }
        if (version.index().isPresent()) {
          if (!viewCurrent(connection, version.id())) {
            try (Statement statement = connection.createStatement()) {
              createView(statement, version);
            }
          }
          lines.add(
              version.id() + ": HNSW index " + version.index().get().indexName() + " present");
        } else {
          Index built;
          try {
            built = build(connection, version, hnsw);
          } catch (SQLException e) {
            // One version pgvector cannot index (more than 2,000 dimensions, say) must not keep
            // the others from their indexes, nor an ingest from starting: its search stays exact.
            String cause = PostgresErrors.firstLine(e);
            LOG.warn("HNSW index of {} not built, its search stays exact: {}", version.id(), cause);
            failed = true;
            lines.add(version.id() + ": HNSW index not built (" + cause + "); search stays exact");
            continue;
          }
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s: HNSW index %s built on %d vectors in %.1f s; view %s",
                  version.id(),
                  built.indexName(),
                  built.vectorsIndexed(),
                  built.buildSeconds(),
                  built.viewName()));
        }
      }
      return new Report(null, lines, failed);
    }
  }

  /**
   * How {@link Version#vectors} is filled: a count reads every vector of the version, which a query
   * or an ingest's start must not wait for on a big store; presence stops at the first.
   */
  public enum Counting {
    /** The number of vectors. */
    EXACT("SELECT count(*) FROM indexing.vectors v WHERE v.pipeline_run_id = iv.pipeline_run_id"),
    /** 1 when the version has any vector, 0 when it has none. */
    PRESENCE(
        "SELECT count(*) FROM (SELECT FROM indexing.vectors v"
            + " WHERE v.pipeline_run_id = iv.pipeline_run_id LIMIT 1) AS one");

    private final String sql;

    Counting(String sql) {
      this.sql = sql;
    }
  }

  /** Every index version, oldest first, with its vectors counted as asked and its valid index. */
  public static List<Version> versions(Connection connection, Counting counting)
      throws SQLException {
    List<Version> versions = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                """
                SELECT iv.pipeline_run_id, iv.embedding_model, iv.dimension, iv.chunk_size,
                       iv.chunk_overlap, iv.chunk_unit, iv.across_pages, (%s),
                       vi.index_name, vi.view_name, vi.parameters::text, vi.vectors_indexed,
                       vi.build_seconds,
                       iv.parameters->'provenance'->>'provider',
                       iv.parameters->'provenance'->>'source',
                       EXISTS (SELECT 1 FROM pg_index i
                               JOIN pg_class c ON c.oid = i.indexrelid
                               JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname = 'indexing' AND c.relname = vi.index_name
                                 AND i.indisvalid)
                FROM indexing.index_versions iv
                LEFT JOIN indexing.vector_indexes vi USING (pipeline_run_id)
                ORDER BY iv.created_at, iv.pipeline_run_id"""
                    .formatted(counting.sql))) {
      while (result.next()) {
        Optional<Index> index =
            result.getString(9) != null && result.getBoolean(16)
                ? Optional.of(
                    new Index(
                        result.getString(9),
                        result.getString(10),
                        result.getString(11),
                        result.getLong(12),
                        result.getDouble(13)))
                : Optional.empty();
        versions.add(
            new Version(
                result.getString(1),
                result.getString(2),
                result.getInt(3),
                result.getInt(4),
                result.getInt(5),
                result.getString(6),
                result.getBoolean(7),
                result.getLong(8),
                index,
                result.getString(14),
                result.getString(15)));
      }
    }
    return versions;
  }

  /** The newest version that has vectors: what a search uses unless told otherwise. */
  public static Optional<Version> newestWithVectors(List<Version> versions) {
    return versions.stream()
        .filter(version -> version.vectors() > 0)
        .reduce((older, newer) -> newer);
  }

  /**
   * Builds a version's index without blocking writers ({@code CONCURRENTLY}; an earlier build that
   * was interrupted left an invalid index, which goes first), then its view, then the record.
   */
  private static Index build(Connection connection, Version version, HnswSettings hnsw)
      throws SQLException {
    String index = indexName(version.id());
    String view = viewName(version.id());
    String vector = "vector(" + version.dimension() + ")";
    connection.setAutoCommit(true);
    long start = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET maintenance_work_mem = '" + BUILD_MEMORY + "'");
      statement.execute("DROP INDEX IF EXISTS indexing." + index);
      LOG.info(
          "building HNSW index {} on the vectors of {} (m={}, ef_construction={})",
          index,
          version.id(),
          hnsw.m(),
          hnsw.efConstruction());
      statement.execute(
          "CREATE INDEX CONCURRENTLY "
              + index
              + " ON indexing.vectors USING hnsw ((embedding::"
              + vector
              + ") vector_cosine_ops) WITH (m = "
              + hnsw.m()
              + ", ef_construction = "
              + hnsw.efConstruction()
              + ") WHERE pipeline_run_id = "
              + versionLiteral(version.id()));
      double seconds = (System.nanoTime() - start) / 1e9;
      long vectors = indexed(statement, index);
      createView(statement, version);
      String parameters =
          JSON.writeValueAsString(Map.of("m", hnsw.m(), "ef_construction", hnsw.efConstruction()));
      try (PreparedStatement record =
          connection.prepareStatement(
              """
              INSERT INTO indexing.vector_indexes (pipeline_run_id, index_name, view_name, method,
                  distance, parameters, vectors_indexed, build_seconds)
              VALUES (?, ?, ?, 'hnsw', 'cosine', ?::jsonb, ?, ?)
              ON CONFLICT (pipeline_run_id) DO UPDATE SET index_name = EXCLUDED.index_name,
                  view_name = EXCLUDED.view_name, parameters = EXCLUDED.parameters,
                  vectors_indexed = EXCLUDED.vectors_indexed,
                  build_seconds = EXCLUDED.build_seconds, built_at = now()""")) {
        record.setString(1, version.id());
        record.setString(2, index);
        record.setString(3, view);
        record.setString(4, parameters);
        record.setLong(5, vectors);
        record.setDouble(6, seconds);
        record.executeUpdate();
      }
      return new Index(index, view, parameters, vectors, seconds);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write HNSW parameters as JSON", e);
    }
  }

  /** The entries of a freshly built index, which its build counted into the catalogue. */
  private static long indexed(Statement statement, String index) throws SQLException {
    try (ResultSet result =
        statement.executeQuery(
            "SELECT reltuples::bigint FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = 'indexing' AND c.relname = '"
                + index
                + "'")) {
      result.next();
      return result.getLong(1);
    }
  }

  /**
   * Whether the version's view has the columns this sluice gives it; replacing a view takes a lock
   * that would queue the frameworks' reads behind any long one, so a current view is left alone.
   */
  private static boolean viewCurrent(Connection connection, String version) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'search'"
                + " AND table_name = ? AND column_name = ANY (?)")) {
      statement.setString(1, identifier(version));
      statement.setArray(2, connection.createArrayOf("text", VIEW_COLUMNS.toArray()));
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getInt(1) == VIEW_COLUMNS.size();
      }
    }
  }

  /**
   * The version's view, as LangChain4j's {@code PgVectorEmbeddingStore} reads it ({@code
   * embedding_id}, {@code embedding}, {@code text}, {@code metadata}) and as Spring AI's {@code
   * PgVectorStore} does ({@code id}, {@code content}, {@code metadata}, {@code embedding}). An
   * ensure that finds a view from an older sluice makes it anew, so it gains the columns added
   * since (new columns go last: that is what {@code CREATE OR REPLACE VIEW} allows).
   */
  private static void createView(Statement statement, Version version) throws SQLException {
    String vector = "vector(" + version.dimension() + ")";
    statement.execute(
        "CREATE OR REPLACE VIEW "
            + viewName(version.id())
            + " AS SELECT v.chunk_id AS embedding_id, v.embedding::"
            + vector
            + " AS embedding, c.text,"
            + " json_build_object('doc_id', c.doc_id, 'chunk_id', c.chunk_id,"
            + " 'source_uri', (SELECT min(s.source_uri) FROM ingestion.sources s"
            + " WHERE s.doc_id = c.doc_id),"
            + " 'page', c.page, 'char_start', c.char_start, 'char_end', c.char_end,"
            + " 'index_version', v.pipeline_run_id) AS metadata,"
            + " v.chunk_id AS id, c.text AS content"
            + " FROM indexing.vectors v JOIN indexing.chunks c ON c.chunk_id = v.chunk_id"
            + " WHERE v.pipeline_run_id = "
            + versionLiteral(version.id()));
  }
}
