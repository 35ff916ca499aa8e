package io.sluice.pipelines.chaos;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.arango.ArangoGraph;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.testing.arango.ArangoStandIn;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * File names, ZIP member names and PDF metadata written to break out of SQL and AQL strings reach
 * both stores as data, exactly as they were: every statement binds them as parameters.
 */
public class HostileNamesTest {
  private static final String SQL_NAME = "o'brien\"; DROP TABLE ingestion.documents; --.pdf";
  private static final String AQL_MEMBER = "x\" || 1==1 || \"@doc ` REMOVE d IN documents.pdf";
  private static final String TITLE =
      "Robert'); DELETE FROM indexing.chunks; -- FOR d IN" + " documents REMOVE d IN documents";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void namesAndMetadataAreStoredAsDataInBothStores() throws Exception {
    Path input = folder.newFolder("input").toPath();
    byte[] pdf = SampleCorpus.textPdf(TITLE, List.of("Weirs hold water back behind a sill."));
    Files.write(input.resolve(SQL_NAME), pdf);
    Files.write(
        input.resolve("bundle.zip"),
        SampleCorpus.zip(
            Map.of(
                AQL_MEMBER,
                SampleCorpus.textPdf(TITLE, List.of("A second document about gates and locks.")))));
    Path password = folder.newFile("arango-password").toPath();
    Files.writeString(password, "graph-secret\n");
    DatabaseConfig database = TestDatabases.fresh();

    try (ArangoStandIn arango = ArangoStandIn.start("root", "graph-secret")) {
      CliRun run =
          CliRun.of(
              "ingest",
              "--input=" + input,
              "--databaseUrl=" + database.jdbcUrl(),
              "--arangoUrl=http://127.0.0.1:" + arango.port(),
              "--arangoProtocol=HTTP_JSON",
              "--arangoPasswordFile=" + password);
      assertThat(run.log(), run.exitCode(), equalTo(0));

      List<String> sources =
          List.of(
              TestDatabases.text(
                      database,
                      "SELECT string_agg(source_uri,"
                          + " E'\\n' ORDER BY source_uri COLLATE \"C\") FROM ingestion.sources")
                  .split("\n"));
      assertThat(
          sources.stream().map(HostileNamesTest::decoded).toList(),
          equalTo(
              List.of(
                  input.resolve("bundle.zip") + "!/" + AQL_MEMBER,
                  input.resolve(SQL_NAME).toString())));
      assertThat(
          TestDatabases.count(
              database,
              "SELECT count(*) FROM ingestion.documents"
                  + " WHERE status = 'ok' AND metadata->>'title' = '"
                  + TITLE.replace("'", "''")
                  + "'"),
          equalTo(2L));
      assertThat(
          TestDatabases.count(database, "SELECT count(*) FROM indexing.chunks"), equalTo(2L));
      assertThat(
          arango.documents("sluice", ArangoGraph.SOURCES).values().stream()
              .map(source -> source.path("uri").asText())
              .sorted()
              .toList(),
          equalTo(sources));
      assertThat(
          arango.documents("sluice", ArangoGraph.DOCUMENTS).values().stream()
              .map((ObjectNode document) -> document.path("title").asText())
              .distinct()
              .toList(),
          equalTo(List.of(TITLE)));
    }
  }

  /** The path a stored file URI names, whether or not it escapes the unusual characters. */
  private static String decoded(String uri) {
    return URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8)
        .replaceFirst("^file://", "");
  }
}
