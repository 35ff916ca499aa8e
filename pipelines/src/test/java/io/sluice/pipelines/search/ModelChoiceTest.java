package io.sluice.pipelines.search;

import static io.sluice.pipelines.search.IngestedSamples.chunkIds;
import static io.sluice.pipelines.search.IngestedSamples.queryJson;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.ModelFiles;
import io.sluice.transforms.embed.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The embedding model as users choose it: each catalogue model ingests the samples and finds a
 * chunk by its own words through {@code sluice query} (which embeds the question with the query
 * prefix of the version's model); a model file of the user's own, given by path, embeds as the same
 * model from the catalogue does but in an index version of its own, which a changed file leaves for
 * a new one; and a declared dimension the model does not give stops the ingest before any document
 * is read.
 */
public class ModelChoiceTest {
  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static Path handbook;
  private static IngestedSamples catalogueDefault;

  /**
   * The samples' handbook alone, where the question's chunk comes from: one file, one wave, so that
   * six ingests stay cheap; the samples' failures are other tests' business.
   */
  private static synchronized Path samples() throws Exception {
    if (handbook == null) {
      Path all = FOLDER.newFolder("all-samples").toPath();
      SampleCorpus.writeTo(all);
      handbook = FOLDER.newFolder("handbook").toPath();
      Files.copy(all.resolve("handbook.pdf"), handbook.resolve("handbook.pdf"));
    }
    return handbook;
  }

  /** The samples ingested with the default model: the reference for the model file's vectors. */
  private static synchronized IngestedSamples catalogueDefault() throws Exception {
    if (catalogueDefault == null) {
      catalogueDefault = IngestedSamples.ingest(FOLDER.newFolder("default").toPath());
    }
    return catalogueDefault;
  }

  private static CliRun ingest(DatabaseConfig database, Path input, List<String> flags) {
    List<String> args =
        new ArrayList<>(
            List.of("ingest", "--input=" + input, "--databaseUrl=" + database.jdbcUrl()));
    args.addAll(flags);
    return CliRun.of(args.toArray(String[]::new));
  }

  /** The default model's own files, copied where a user would keep a model of their own. */
  private static List<String> modelFileFlags(Path folder, String model) throws Exception {
    ModelSpec spec = ModelCatalogue.named(model);
    Path onnx = folder.resolve("model.onnx");
    Path tokenizer = folder.resolve("tokenizer.json");
    Files.write(onnx, ModelFiles.read(spec.onnx()));
    Files.write(tokenizer, ModelFiles.read(spec.tokenizer()));
    return List.of(
        "--embeddingModel=onnx:" + onnx,
        "--tokenizer=" + tokenizer,
        "--pooling=mean",
        "--dimension=384",
        "--maxTokens=128");
  }

  private static Map<String, String> vectorsByChunk(DatabaseConfig database) throws Exception {
    Map<String, String> vectors = new TreeMap<>();
    try (var connection = database.connect();
        var statement = connection.createStatement();
        var rows =
            statement.executeQuery("SELECT chunk_id, embedding::text FROM indexing.vectors")) {
      while (rows.next()) {
        vectors.put(rows.getString(1), rows.getString(2));
      }
    }
    return vectors;
  }

  @Test
  public void everyCatalogueModelIngestsTheSamplesAndFindsAChunkByItsOwnWords() throws Exception {
    IngestedSamples reference = catalogueDefault();
    for (ModelSpec model : ModelCatalogue.models()) {
      if (model.equals(ModelCatalogue.ALL_MINILM_L6_V2_Q)) {
        continue; // the default: every other test ingests with it
      }
      DatabaseConfig database = TestDatabases.fresh();
      CliRun run = ingest(database, samples(), List.of("--embeddingModel=" + model.name()));
      assertThat(model.name() + run.log(), run.exitCode(), equalTo(0));
      assertThat(
          TestDatabases.count(database, "SELECT count(*) FROM indexing.vectors"),
          equalTo(TestDatabases.count(database, "SELECT count(*) FROM indexing.chunks")));
      assertThat(
          TestDatabases.text(
              database,
              "SELECT parameters->'provenance'->>'pooling' || ' ' || embedding_model"
                  + " FROM indexing.index_versions"),
          equalTo(model.pooling().name().toLowerCase(java.util.Locale.ROOT) + " " + model.name()));
      List<String> hits =
          chunkIds(
              queryJson(
                  "query", reference.question(), "--databaseUrl=" + database.jdbcUrl(), "--json"));
      assertThat(model.name(), hits, hasItem(reference.chunkId()));
    }
  }

  @Test
  public void aModelFileOfYourOwnEmbedsAsThatModelDoesInAVersionOfItsOwnUntilTheFileChanges()
      throws Exception {
    IngestedSamples reference = catalogueDefault();
    Path folder = FOLDER.newFolder("my-model").toPath();
    List<String> flags = modelFileFlags(folder, "all-minilm-l6-v2-q");
    DatabaseConfig database = TestDatabases.fresh();

    CliRun run = ingest(database, samples(), flags);

    assertThat(run.log(), run.exitCode(), equalTo(0));
    Map<String, String> own = vectorsByChunk(database);
    assertThat(own.size(), greaterThan(0));
    // chunk ids hold the document and the text, not the version: the same chunks, the same bits.
    Map<String, String> catalogue = vectorsByChunk(reference.database());
    own.forEach((chunk, vector) -> assertThat(chunk, vector, equalTo(catalogue.get(chunk))));
    String version =
        TestDatabases.text(database, "SELECT pipeline_run_id FROM indexing.index_versions");
    assertThat(
        version,
        not(
            TestDatabases.text(
                reference.database(), "SELECT pipeline_run_id FROM indexing.index_versions")));
    assertThat(
        TestDatabases.text(
            database,
            "SELECT parameters->'provenance'->>'provider' || ' ' || embedding_model"
                + " FROM indexing.index_versions"),
        equalTo("FILE onnx:model.onnx"));

    List<String> query = new ArrayList<>(List.of("query", reference.question(), "--json"));
    query.add("--databaseUrl=" + database.jdbcUrl());
    CliRun withoutTheFile = CliRun.of(query.toArray(String[]::new));
    assertThat(withoutTheFile.exitCode(), equalTo(2));
    assertThat(withoutTheFile.log(), containsString("pass the same --embeddingModel=onnx:"));
    query.addAll(flags);
    assertThat(chunkIds(queryJson(query.toArray(String[]::new))), hasItem(reference.chunkId()));

    // Other files at the same paths: other vectors, so a version of their own beside the first.
    modelFileFlags(folder, "e5-small-v2-q");
    CliRun changed = ingest(database, samples(), flags);
    assertThat(changed.log(), changed.exitCode(), equalTo(0));
    assertThat(
        TestDatabases.count(
            database, "SELECT count(DISTINCT pipeline_run_id) FROM indexing.vectors"),
        equalTo(2L));
  }

  @Test
  public void aDeclaredDimensionTheModelDoesNotGiveStopsTheIngestBeforeAnyDocumentIsRead()
      throws Exception {
    List<String> flags =
        new ArrayList<>(
            modelFileFlags(FOLDER.newFolder("wrong-dimension").toPath(), "all-minilm-l6-v2-q"));
    flags.replaceAll(flag -> flag.equals("--dimension=384") ? "--dimension=768" : flag);
    DatabaseConfig database = TestDatabases.fresh();

    CliRun run = ingest(database, samples(), flags);

    assertThat(run.exitCode(), equalTo(2));
    assertThat(
        run.log(),
        containsString(
            "model onnx:model.onnx gives vectors of 384 dimensions, not the 768 declared"));
    assertThat(run.log(), not(containsString("sluice: run")));
  }
}
