package io.sluice.pipelines.search;

import static io.sluice.pipelines.search.IngestedSamples.chunkIds;
import static io.sluice.pipelines.search.IngestedSamples.queryJson;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.PgliteServer;
import io.sluice.samples.StoreTransfer;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.SchemaMigrations;
import io.sluice.sinks.postgres.VectorIndexes;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.SentenceEmbedder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.pgvector.PgVectorStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Retrieval on a real pgvector (PGlite): migrations, the HNSW index and view per index version,
 * {@code sluice query} through the index, and LangChain4j's own {@code PgVectorEmbeddingStore} and
 * Spring AI's own {@code PgVectorStore} reading the view. The rows are what {@code sluice ingest}
 * stored in the embedded PostgreSQL, copied over with INSERTs (PGlite cannot take sluice's binary
 * COPY).
 */
public class PgvectorQueryTest {
  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  private static PgliteServer pglite;
  private static IngestedSamples samples;
  private static String url;
  private static String version;
  private static CliRun build;

  @BeforeClass
  public static void start() throws Exception {
    Optional<String> unavailable = PgliteServer.unavailable();
    assumeTrue("PGlite cannot run here: " + unavailable.orElse(""), unavailable.isEmpty());
    pglite = PgliteServer.start(Path.of("target", "pglite").toAbsolutePath());
    samples = IngestedSamples.ingest(FOLDER.newFolder("samples").toPath());
    DatabaseConfig target = new DatabaseConfig(pglite.jdbcUrl());
    SchemaMigrations.migrate(target);
    StoreTransfer.copy(samples.database().jdbcUrl(), pglite.jdbcUrl());
    url = "--databaseUrl=" + pglite.jdbcUrl();
    version =
        TestDatabases.text(
            samples.database(), "SELECT DISTINCT pipeline_run_id FROM indexing.vectors");
    build = CliRun.of("index", "--build", "--pgvector=require", url);
  }

  @AfterClass
  public static void stop() {
    if (pglite != null) {
      pglite.close();
    }
  }

  @Test
  public void theBuildLeavesAnHnswIndexAndAViewPerVersion() throws Exception {
    assertThat(build.log() + build.out(), build.exitCode(), equalTo(0));
    assertThat(
        build.out(),
        containsString(version + ": HNSW index " + VectorIndexes.indexName(version) + " built"));
    DatabaseConfig database = new DatabaseConfig(pglite.jdbcUrl());
    assertThat(
        TestDatabases.text(
            database,
            "SELECT indexdef FROM pg_indexes WHERE indexname = '"
                + VectorIndexes.indexName(version)
                + "'"),
        containsString("USING hnsw (((embedding)::vector(384)) vector_cosine_ops)"));
    assertThat(
        TestDatabases.count(database, "SELECT count(*) FROM " + VectorIndexes.viewName(version)),
        equalTo(TestDatabases.count(samples.database(), "SELECT count(*) FROM indexing.vectors")));
    CliRun again = CliRun.of("index", "--build", url);
    assertThat(again.out(), containsString(VectorIndexes.indexName(version) + " present"));
  }

  /** What a user's database with pgvector gets from {@code sluice health}, one connection long. */
  @Test
  public void healthSeesPgvectorAndTheCurrentSchema() {
    CliRun health = CliRun.of("health", url);

    assertThat(health.out() + health.log(), health.exitCode(), equalTo(0));
    assertThat(
        health.out(),
        matchesPattern(
            "(?s)ok\\s+postgresql\\s+.*; schema at V\\d+, none pending; pgvector 0\\.\\d+\\.\\d+;.*"));
  }

  @Test
  public void aVersionPgvectorCannotIndexStaysExactAndLeavesTheOthersTheirs() throws Exception {
    // HNSW on vector(n) stops at 2,000 dimensions: a 3,072-dimension model's version cannot have
    // it.
    String wide = "iv-00000000000000ff";
    DatabaseConfig database = new DatabaseConfig(pglite.jdbcUrl());
    try {
      TestDatabases.execute(
          database,
          "INSERT INTO indexing.index_versions (pipeline_run_id, embedding_model, dimension,"
              + " chunk_size, chunk_overlap, chunk_unit, across_pages) VALUES ('"
              + wide
              + "', 'wide-model', 3072, 256, 32, 'model-tokens', false)",
          "INSERT INTO indexing.vectors (chunk_id, pipeline_run_id, dimension, embedding, run_id)"
              + " SELECT chunk_id, '"
              + wide
              + "', 3072, array_fill(0.5::real, ARRAY[3072]), 'wide' FROM indexing.chunks LIMIT 1");

      CliRun run = CliRun.of("index", "--build", url);

      assertThat(run.out(), run.exitCode(), equalTo(1));
      assertThat(run.out(), containsString(wide + ": HNSW index not built ("));
      assertThat(run.out(), containsString(VectorIndexes.indexName(version) + " present"));
    } finally {
      TestDatabases.execute(
          database,
          "DELETE FROM indexing.vectors WHERE pipeline_run_id = '" + wide + "'",
          "DELETE FROM indexing.index_versions WHERE pipeline_run_id = '" + wide + "'");
    }
  }

  @Test
  public void aViewFromAnOlderSluiceGainsTheColumnsAddedSince() throws Exception {
    String view = VectorIndexes.viewName(version);
    DatabaseConfig database = new DatabaseConfig(pglite.jdbcUrl());
    // The view as the first sluice with views made it: LangChain4j's columns only.
    TestDatabases.execute(
        database,
        "DROP VIEW " + view,
        "CREATE VIEW "
            + view
            + " AS SELECT v.chunk_id AS embedding_id, v.embedding::vector(384) AS embedding,"
            + " c.text, json_build_object('chunk_id', c.chunk_id) AS metadata"
            + " FROM indexing.vectors v JOIN indexing.chunks c ON c.chunk_id = v.chunk_id");
    String springColumns =
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'search'"
            + " AND table_name = '"
            + view.substring(view.indexOf('.') + 1)
            + "' AND column_name IN ('id', 'content')";
    assertThat(TestDatabases.count(database, springColumns), equalTo(0L));

    CliRun run = CliRun.of("index", "--build", url);

    assertThat(run.out(), run.exitCode(), equalTo(0));
    assertThat(TestDatabases.count(database, springColumns), equalTo(2L));
  }

  @Test
  public void aSentenceOfAChunkFindsThatChunkThroughTheIndex() throws Exception {
    List<JsonNode> lines = queryJson("query", samples.question(), url, "--json", "--explain");

    JsonNode explain = lines.get(0).get("explain");
    assertThat(explain.get("method").asText(), equalTo("approximate, HNSW index"));
    assertThat(explain.get("plan").asText(), containsString(VectorIndexes.indexName(version)));
    assertThat(chunkIds(lines), hasItem(samples.chunkId()));
    assertThat(
        "HNSW finds the exact search's top 10 on so few vectors",
        chunkIds(lines),
        equalTo(chunkIds(queryJson("query", samples.question(), url, "--json", "--exact"))));
    assertThat(
        "pgvector's exact search ranks as sluice's own does",
        chunkIds(lines),
        equalTo(
            chunkIds(
                queryJson(
                    "query",
                    samples.question(),
                    "--databaseUrl=" + samples.database().jdbcUrl(),
                    "--json"))));
  }

  @Test
  public void langChain4jReadsTheViewAndFindsWhatSluiceQueryFinds() throws Exception {
    List<String> sluice = chunkIds(queryJson("query", samples.question(), url, "--json"));
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(pglite.jdbcUrl());
    PgVectorEmbeddingStore store =
        PgVectorEmbeddingStore.datasourceBuilder()
            .datasource(dataSource)
            .table(VectorIndexes.viewName(version))
            .dimension(384)
            .createTable(false)
            .useIndex(false)
            .build();
    float[] question;
    try (SentenceEmbedder embedder =
        SentenceEmbedder.acquire(ModelCatalogue.ALL_MINILM_L6_V2_Q, 1)) {
      question = embedder.embedQuery(samples.question());
    }

    List<EmbeddingMatch<TextSegment>> matches =
        store
            .search(
                EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(question))
                    .maxResults(10)
                    .build())
            .matches();

    assertThat(matches, hasSize(10));
    assertThat(matches.stream().map(EmbeddingMatch::embeddingId).toList(), equalTo(sluice));
    TextSegment first = matches.get(0).embedded();
    assertThat(first.metadata().getString("chunk_id"), equalTo(sluice.get(0)));
    assertThat(first.metadata().getString("source_uri"), containsString(".pdf"));
    for (String key : List.of("doc_id", "page", "char_start", "char_end")) {
      assertThat(key, first.metadata().containsKey(key));
    }
  }

  @Test
  public void aSourceGlobIsSearchedThroughTheIndexAndFindsWhatExactSearchFinds() throws Exception {
    // A candidate list of 5 holds the question's own document, not the one the glob keeps: the
    // index scan must go on past it.
    String k = "--k=5";
    String candidates = "--hnswEfSearch=5";
    String glob = "--source=*multilingual*";
    List<JsonNode> exact =
        queryJson("query", samples.question(), url, "--json", "--exact", k, candidates, glob);
    List<JsonNode> lines =
        queryJson("query", samples.question(), url, "--json", "--explain", k, candidates, glob);

    JsonNode explain = lines.get(0).get("explain");
    assertThat(explain.get("method").asText(), equalTo("approximate, HNSW index"));
    assertThat(explain.get("why").asText(), containsString("hnsw.iterative_scan=strict_order"));
    List<JsonNode> hits = lines.subList(1, lines.size());
    assertThat(exact, hasSize(greaterThan(0)));
    assertThat(
        hits.stream().map(line -> line.get("source_uri").asText()).toList(),
        everyItem(containsString("multilingual")));
    assertThat(chunkIds(hits), equalTo(chunkIds(exact)));
  }

  @Test
  public void springAiReadsTheViewAndFindsWhatSluiceQueryFinds() throws Exception {
    List<String> sluice = chunkIds(queryJson("query", samples.question(), url, "--json"));
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(pglite.jdbcUrl());
    String view = VectorIndexes.viewName(version);
    try (SentenceEmbedder embedder =
        SentenceEmbedder.acquire(ModelCatalogue.ALL_MINILM_L6_V2_Q, 1)) {
      PgVectorStore store =
          PgVectorStore.builder(new JdbcTemplate(dataSource), new SluiceModel(embedder))
              .schemaName(view.substring(0, view.indexOf('.')))
              .vectorTableName(view.substring(view.indexOf('.') + 1))
              .dimensions(384)
              .distanceType(PgVectorStore.PgDistanceType.COSINE_DISTANCE)
              .indexType(PgVectorStore.PgIndexType.NONE)
              .initializeSchema(false)
              .build();
      store.afterPropertiesSet();

      List<Document> documents =
          store.similaritySearch(
              SearchRequest.builder().query(samples.question()).topK(10).build());

      assertThat(documents.stream().map(Document::getId).toList(), equalTo(sluice));
      Document first = documents.get(0);
      assertThat(first.getMetadata().get("chunk_id"), equalTo(sluice.get(0)));
      assertThat((String) first.getMetadata().get("source_uri"), containsString(".pdf"));
      assertThat(first.getText(), equalTo(lines(samples.question()).get(0).get("text").asText()));
    }
  }

  private static List<JsonNode> lines(String question) throws Exception {
    return queryJson("query", question, url, "--json", "--k=1");
  }

  /** Spring AI's view of sluice's model: the same vectors for the same texts. */
  private record SluiceModel(SentenceEmbedder embedder) implements EmbeddingModel {
    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
      List<String> texts = request.getInstructions();
      return new EmbeddingResponse(
          IntStream.range(0, texts.size())
              .mapToObj(
                  i -> new org.springframework.ai.embedding.Embedding(vector(texts.get(i)), i))
              .toList());
    }

    @Override
    public float[] embed(Document document) {
      return vector(document.getText());
    }

    /** Spring AI embeds the question through here: the model's question side. */
    private float[] vector(String text) {
      return embedder.embedQuery(text);
    }
  }
}
