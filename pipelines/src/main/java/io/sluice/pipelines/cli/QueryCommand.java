package io.sluice.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipelines.ingest.EmbeddingModels;
import io.sluice.pipelines.ingest.EmbeddingOptions;
import io.sluice.pipelines.ingest.VectorSearchOptions;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.NearestChunks;
import io.sluice.sinks.postgres.VectorIndexes;
import io.sluice.transforms.embed.Embedder;
import io.sluice.transforms.embed.EndpointEmbedder;
import io.sluice.transforms.embed.EndpointSpec;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.SentenceEmbedder;
import io.sluice.transforms.keys.EmbeddingProvenance;
import io.sluice.transforms.retry.RetryPolicy;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code sluice query "text"}: the chunks nearest to a question in one index version, the question
 * embedded by that version's own model; {@code sluice query --list}: the index versions.
 */
final class QueryCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SHOWN_CHARACTERS = 240;

  /** The flags of {@code sluice query}. */
  public interface QueryOptions extends VectorSearchOptions, EmbeddingOptions {
    @Description("How many chunks to return.")
    @Default.Integer(10)
    int getK();

    void setK(int value);

    @Description(
        "The index version to search (see --list); by default the newest one that has vectors.")
    String getIndexVersion();

    void setIndexVersion(String value);

    @Description("Only chunks of documents with a source URI matching this glob (* and ?).")
    String getSource();

    void setSource(String value);

    @Description("One JSON object per line and hit instead of the table.")
    @Default.Boolean(false)
    boolean getJson();

    void setJson(boolean value);

    @Description("Say how the chunks were found (HNSW index or exact scan) and why.")
    @Default.Boolean(false)
    boolean getExplain();

    void setExplain(boolean value);

    @Description("Compare the question with every vector even where an HNSW index exists.")
    @Default.Boolean(false)
    boolean getExact();

    void setExact(boolean value);

    @Description("List the index versions instead of searching.")
    @Default.Boolean(false)
    boolean getList();

    void setList(boolean value);
  }

  private QueryCommand() {}

  static int run(String question, QueryOptions options, DatabaseConfig database, PrintStream out)
      throws Exception {
    try (Connection connection = database.connect()) {
      Optional<String> exactBecause =
          VectorIndexes.exactBecause(connection, VectorSearchOptions.pgvectorMode(options));
      if (options.getList()) {
        list(VectorIndexes.versions(connection, VectorIndexes.Counting.EXACT), exactBecause, out);
        return 0;
      }
      List<VectorIndexes.Version> versions =
          VectorIndexes.versions(connection, VectorIndexes.Counting.PRESENCE);
      if (question.isBlank()) {
        throw new IllegalArgumentException(
            "sluice query needs a question: sluice query \"text\" [--k=10], or --list");
      }
      VectorIndexes.Version version = chosen(versions, options.getIndexVersion());
      NearestChunks.Result result =
          NearestChunks.search(
              connection,
              new NearestChunks.Query(
                  version,
                  embedded(question, version, options),
                  options.getK(),
                  options.getSource(),
                  options.getExact()),
              exactBecause,
              VectorSearchOptions.hnsw(options));
      if (options.getExplain()) {
        explain(version, result, options.getJson(), out);
      }
      for (NearestChunks.Hit hit : result.hits()) {
        out.println(options.getJson() ? json(hit, version) : table(hit));
      }
      return 0;
    }
  }

  private static VectorIndexes.Version chosen(List<VectorIndexes.Version> versions, String wanted) {
    if (wanted != null) {
      return versions.stream()
          .filter(version -> version.id().equals(wanted))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "unknown index version '"
                          + wanted
                          + "'; known: "
                          + versions.stream().map(VectorIndexes.Version::id).toList()));
    }
    return VectorIndexes.newestWithVectors(versions)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no index version has vectors yet: run sluice ingest first"));
  }

  /** The question's vector, by the model that embedded the version's chunks. */
  private static float[] embedded(
      String question, VectorIndexes.Version version, QueryOptions options) {
    try (Embedder embedder = questionEmbedder(version, options)) {
      return embedder.embedQuery(question);
    }
  }

  /**
   * The version's model: a catalogue model by its name; a model file of the user's own, or an
   * endpoint, from the flags, which must name the very files, or the model id, the version was
   * embedded with.
   */
  private static Embedder questionEmbedder(VectorIndexes.Version version, QueryOptions options) {
    String provider = version.provider();
    if (provider == null || EmbeddingProvenance.Provider.IN_PROCESS.name().equals(provider)) {
      if (!ModelCatalogue.contains(version.embeddingModel())) {
        throw new IllegalArgumentException(
            "index version "
                + version.id()
                + " was embedded with a model this sluice cannot run: "
                + version.embeddingModel());
      }
      return SentenceEmbedder.acquire(ModelCatalogue.named(version.embeddingModel()), 1);
    }
    String hint =
        "index version "
            + version.id()
            + " was embedded by "
            + version.embeddingModel()
            + " ("
            + version.source()
            + "): pass the same ";
    if (EmbeddingProvenance.Provider.FILE.name().equals(provider)) {
      hint += "--embeddingModel=onnx:… --tokenizer=… --dimension=… flags";
      if (options.getEmbeddingModel() == null || !options.getEmbeddingModel().startsWith("onnx:")) {
        throw new IllegalArgumentException(hint);
      }
      ModelSpec spec = EmbeddingModels.spec(options);
      if (!spec.provenance().source().equals(version.source())) {
        throw new IllegalArgumentException(
            hint + "; these files are " + spec.provenance().source());
      }
      return SentenceEmbedder.acquire(spec, 1);
    }
    String endpointHint =
        hint + "--embeddingEndpoint=… --embeddingModel=… --embeddingDimension=… flags";
    EndpointSpec endpoint =
        EmbeddingModels.endpoint(options, RetryPolicy.DEFAULT)
            .orElseThrow(() -> new IllegalArgumentException(endpointHint));
    if (!endpoint.model().equals(version.source())) {
      throw new IllegalArgumentException(
          endpointHint + "; --embeddingModel is " + endpoint.model());
    }
    return EndpointEmbedder.open(endpoint);
  }

  private static void list(
      List<VectorIndexes.Version> versions, Optional<String> exactBecause, PrintStream out) {
    if (versions.isEmpty()) {
      out.println("no index versions yet: run sluice ingest first");
    }
    for (VectorIndexes.Version version : versions) {
      out.printf(
          "%s  %s  %d dimensions  chunks of %d %s, overlap %d%s  %d chunks  %s%n",
          version.id(),
          version.embeddingModel(),
          version.dimension(),
          version.chunkSize(),
          version.chunkUnit(),
          version.chunkOverlap(),
          version.acrossPages() ? ", across pages" : "",
          version.vectors(),
          version
              .index()
              .map(
                  index ->
                      "HNSW index "
                          + index.indexName()
                          + " "
                          + index.parameters()
                          + ", view "
                          + index.viewName())
              .orElse(
                  "not indexed: exact search ("
                      + exactBecause.orElse("no HNSW index yet; sluice index --build")
                      + ")"));
    }
  }

  private static void explain(
      VectorIndexes.Version version, NearestChunks.Result result, boolean json, PrintStream out)
      throws Exception {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("index_version", version.id());
      line.put("method", result.method());
      line.put("why", result.why());
      line.put("plan", result.plan());
      out.println(JSON.writeValueAsString(Map.of("explain", line)));
      return;
    }
    out.printf(
        "index version %s (%s): %s%n", version.id(), version.embeddingModel(), result.method());
    out.printf("  why: %s%n", result.why());
    if (result.plan() != null) {
      result.plan().lines().forEach(line -> out.printf("  plan: %s%n", line));
    }
  }

  private static String table(NearestChunks.Hit hit) {
    String text = hit.text().replaceAll("\\s+", " ").strip();
    if (text.length() > SHOWN_CHARACTERS) {
      text = text.substring(0, SHOWN_CHARACTERS) + "…";
    }
    return String.format(
        Locale.ROOT,
        "%2d  %.4f  %s  page %d  chars %d–%d%n    %s",
        hit.rank(),
        hit.score(),
        hit.sourceUri(),
        hit.page(),
        hit.charStart(),
        hit.charEnd(),
        text);
  }

  private static String json(NearestChunks.Hit hit, VectorIndexes.Version version)
      throws Exception {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("rank", hit.rank());
    line.put("score", hit.score());
    line.put("chunk_id", hit.chunkId());
    line.put("doc_id", hit.docId());
    line.put("source_uri", hit.sourceUri());
    line.put("page", hit.page());
    line.put("char_start", hit.charStart());
    line.put("char_end", hit.charEnd());
    line.put("index_version", version.id());
    line.put("text", hit.text());
    return JSON.writeValueAsString(line);
  }
}
