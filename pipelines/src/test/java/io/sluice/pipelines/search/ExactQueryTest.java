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
import static org.hamcrest.Matchers.matchesRegex;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.pipelines.cli.CliRun;
import io.sluice.testing.TestDatabases;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice query} on a database without pgvector (the embedded PostgreSQL): exact search in
 * sluice over the stored vectors, and the errors a user meets.
 */
public class ExactQueryTest {
  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  private static IngestedSamples samples;
  private static String url;

  @BeforeClass
  public static void ingest() throws Exception {
    samples = IngestedSamples.ingest(FOLDER.newFolder("samples").toPath());
    url = "--databaseUrl=" + samples.database().jdbcUrl();
  }

  @Test
  public void aSentenceOfAChunkFindsThatChunkByExactSearch() throws Exception {
    List<JsonNode> lines = queryJson("query", samples.question(), url, "--json", "--explain");

    JsonNode explain = lines.get(0).get("explain");
    assertThat(explain.get("method").asText(), equalTo("exact, in sluice"));
    assertThat(explain.get("why").asText(), containsString("the database has no pgvector"));
    List<String> hits = chunkIds(lines);
    assertThat(hits, hasSize(10));
    assertThat(hits, hasItem(samples.chunkId()));
    System.out.printf("self-retrieval: rank %d of 10%n", hits.indexOf(samples.chunkId()) + 1);
    JsonNode first = lines.get(1);
    for (String field :
        List.of(
            "rank", "score", "doc_id", "source_uri", "page", "char_start", "char_end", "text")) {
      assertThat(field, first.has(field));
    }
    assertThat(first.get("rank").asInt(), equalTo(1));
    assertThat(
        first.get("score").asDouble(), greaterThan(lines.get(2).get("score").asDouble() - 1e-9));
  }

  @Test
  public void aSourceGlobKeepsOtherDocumentsOut() throws Exception {
    List<JsonNode> lines =
        queryJson("query", samples.question(), url, "--json", "--k=5", "--source=*multilingual*");
    assertThat(lines, hasSize(greaterThan(0)));
    assertThat(
        lines.stream().map(line -> line.get("source_uri").asText()).toList(),
        everyItem(containsString("multilingual")));
    assertThat(chunkIds(lines), not(hasItem(samples.chunkId())));
  }

  @Test
  public void theTableShowsRankScoreSourcePageOffsetsAndText() {
    CliRun run = CliRun.of("query", samples.question(), url, "--k=3");
    assertThat(run.log(), run.exitCode(), equalTo(0));
    String firstLine = run.out().lines().findFirst().orElseThrow();
    assertThat(
        firstLine, matchesRegex(" 1  0\\.\\d{4}  file:\\S+\\.pdf  page \\d+  chars \\d+–\\d+"));
  }

  @Test
  public void theListShowsEachVersionAndWhyItIsNotIndexed() throws Exception {
    CliRun run = CliRun.of("query", "--list", url);
    assertThat(run.log(), run.exitCode(), equalTo(0));
    long vectors = TestDatabases.count(samples.database(), "SELECT count(*) FROM indexing.vectors");
    assertThat(run.out(), containsString("all-minilm-l6-v2-q  384 dimensions"));
    assertThat(run.out(), containsString("  " + vectors + " chunks  "));
    assertThat(
        run.out(),
        containsString("not indexed: exact search (the database has no pgvector extension)"));
  }

  @Test
  public void anUnknownVersionAndAMissingQuestionAreOneLineErrors() {
    CliRun unknown = CliRun.of("query", "gates", url, "--indexVersion=iv-0000000000000000");
    assertThat(unknown.exitCode(), equalTo(2));
    assertThat(
        unknown.log(),
        containsString("sluice: error: unknown index version 'iv-0000000000000000'"));
    CliRun empty = CliRun.of("query", url);
    assertThat(empty.exitCode(), equalTo(2));
    assertThat(empty.log(), containsString("sluice query needs a question"));
  }

  @Test
  public void requiringPgvectorWhereThereIsNoneFailsBeforeAnyWork() {
    CliRun ingest = CliRun.of("ingest", "--input=" + samples.input(), url, "--pgvector=require");
    assertThat(ingest.exitCode(), equalTo(2));
    assertThat(
        ingest.log(),
        containsString("--pgvector=require, but the database has no pgvector extension"));
    assertThat(ingest.out(), not(containsString("documents stored")));
  }
}
