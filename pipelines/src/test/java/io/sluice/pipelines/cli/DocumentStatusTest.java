package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.keys.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice status --doc}: a document named by its doc_id, its path or a glob shows every stage
 * with its times, attempts and run, and its sources; a failed one its class and message; a name
 * that matches nothing exits 1.
 */
public class DocumentStatusTest {
  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static DatabaseConfig database;
  private static Path samples;

  @BeforeClass
  public static void ingestTheSamples() throws Exception {
    samples = FOLDER.newFolder("samples").toPath();
    SampleCorpus.writeTo(samples);
    database = TestDatabases.fresh();
    CliRun run = CliRun.ingest(samples.toString(), database.jdbcUrl(), List.of("--runId=first"));
    assertThat(run.log(), run.exitCode(), equalTo(0));
  }

  private static CliRun status(String... flags) {
    List<String> args = new ArrayList<>(List.of("status", "--databaseUrl=" + database.jdbcUrl()));
    args.addAll(List.of(flags));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static List<JsonNode> json(CliRun run) throws Exception {
    List<JsonNode> documents = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      documents.add(JSON.readTree(line));
    }
    return documents;
  }

  /** A timestamptz as PostgreSQL prints it: 2026-12-02 04:40:01.123456+00. */
  private static OffsetDateTime time(String text) {
    return OffsetDateTime.parse(text.replace(' ', 'T').replaceFirst("([+-]\\d\\d)$", "$1:00"));
  }

  @Test
  public void aDocumentByItsPathShowsEveryStageWithRealTimesAndItsSources() throws Exception {
    Path handbook = samples.resolve("handbook.pdf");
    CliRun run = status("--doc=" + handbook, "--json");

    assertThat(run.log(), run.exitCode(), equalTo(0));
    List<JsonNode> documents = json(run);
    assertThat(documents, hasSize(1));
    JsonNode document = documents.get(0);
    assertThat(document.get("docId").asText(), equalTo(Keys.docId(Files.readAllBytes(handbook))));
    assertThat(document.get("status").asText(), equalTo("ok"));
    // The same bytes inside bundle.zip are the same document.
    assertThat(document.get("sources").size(), equalTo(2));
    List<String> stages = new ArrayList<>();
    OffsetDateTime previousFinished = OffsetDateTime.MIN;
    for (JsonNode stage : document.get("stages")) {
      stages.add(stage.get("stage").asText());
      assertThat(stage.get("status").asText(), equalTo("completed"));
      assertThat(stage.get("runId").asText(), equalTo("first"));
      assertThat(stage.get("attempts").asInt(), greaterThanOrEqualTo(1));
      // Each stage's own times: it starts once the one before it has finished.
      OffsetDateTime started = time(stage.get("startedAt").asText());
      OffsetDateTime finished = time(stage.get("finishedAt").asText());
      assertThat(stage.get("stage").asText(), started, greaterThanOrEqualTo(previousFinished));
      assertThat(stage.get("stage").asText(), finished, greaterThanOrEqualTo(started));
      previousFinished = finished;
    }
    assertThat(stages, equalTo(List.of("extract", "chunk", "embed", "store")));
    // Parsing a 6-page PDF in a parser process and embedding its chunks take measurable time.
    assertThat(document.get("stages").get(0).get("seconds").asDouble(), greaterThan(0.0));
    assertThat(document.get("stages").get(2).get("seconds").asDouble(), greaterThan(0.0));

    CliRun byId = status("--doc=" + document.get("docId").asText());
    assertThat(byId.out(), containsString("document " + document.get("docId").asText()));
    assertThat(byId.out(), containsString("bundle.zip!/archive/handbook.pdf"));
  }

  @Test
  public void aGlobFindsTheFailedOnesWithTheirClassAndMessage() throws Exception {
    CliRun run = status("--doc=*/not-a-pdf.pdf");

    assertThat(run.log(), run.exitCode(), equalTo(0));
    assertThat(run.out(), containsString("extract  "));
    assertThat(run.out(), containsString("not_pdf (settled)"));
    assertThat(status("--doc=*.pdf", "--json").out().lines().count(), greaterThanOrEqualTo(6L));
  }

  @Test
  public void aNameThatMatchesNothingExitsOne() {
    CliRun run = status("--doc=/nowhere/at/all.pdf");

    assertThat(run.exitCode(), equalTo(1));
    assertThat(run.out(), containsString("no document matches /nowhere/at/all.pdf"));
  }
}
