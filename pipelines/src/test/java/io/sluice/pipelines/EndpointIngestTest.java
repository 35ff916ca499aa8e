package io.sluice.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.testing.embeddings.EmbeddingStandIn;
import io.sluice.testing.embeddings.EmbeddingStandIn.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice ingest} through an OpenAI-compatible endpoint, a stand-in server that answers 429,
 * 503, slowly, with a closed connection and with 413 for batches over its limit: the run completes,
 * every stored vector is what the server gave for that chunk's text, no text is embedded twice, the
 * requests are the batches plus the faults, and each answered request is a token usage row of the
 * run. An endpoint that stays down leaves retryable embed failures, and the next run, with the
 * endpoint back, stores the documents.
 */
public class EndpointIngestTest {
  private static final String KEY = "sk-stand-in-secret-4242";
  private static final String MODEL = "stand-in-embed";
  private static final int BATCH = 16;
  private static final int SERVER_LIMIT = 10;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  private EmbeddingStandIn server;
  private Path samples;
  private Path keyFile;

  @Before
  public void start() throws Exception {
    server = new EmbeddingStandIn(MODEL, 32, KEY, SERVER_LIMIT, Duration.ofMillis(2500));
    samples = folder.newFolder("samples").toPath();
    SampleCorpus.writeTo(samples);
    keyFile = folder.newFile("key").toPath();
    Files.writeString(keyFile, KEY + "\n");
  }

  @After
  public void stop() {
    server.close();
  }

  private CliRun ingest(DatabaseConfig database, String runId) {
    return CliRun.ingest(
        samples.toString(),
        database.jdbcUrl(),
        List.of(
            "--runId=" + runId,
            "--embeddingEndpoint=" + server.url(),
            "--embeddingModel=" + MODEL,
            "--embeddingDimension=32",
            "--embeddingApiKeyFile=" + keyFile,
            "--embeddingBatchSize=" + BATCH,
            "--embeddingConcurrency=2",
            "--embeddingTimeoutSeconds=1",
            "--maxRetries=3",
            "--retryInitialBackoffMillis=20"));
  }

  @Test
  public void throughAFaultyEndpointTheRunStoresTheServersVectorsAndItsTokenUsage()
      throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    // After the first request, the check before the run: the faults meet the run's own.
    server.inject(
        1, Fault.RATE_LIMITED, Fault.UNAVAILABLE, Fault.SLOW, Fault.CLOSED, Fault.UNAVAILABLE);

    CliRun run = ingest(database, "through-faults");

    assertThat(run.log() + run.out(), run.exitCode(), equalTo(0));
    assertThat(run.log() + run.out(), not(containsString(KEY)));
    long chunks = TestDatabases.count(database, "SELECT count(*) FROM indexing.chunks");
    assertThat(chunks, greaterThan(0L));
    int checked = 0;
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT c.text, v.embedding FROM indexing.vectors v"
                    + " JOIN indexing.chunks c ON c.chunk_id = v.chunk_id")) {
      while (rows.next()) {
        Array stored = rows.getArray(2);
        Float[] vector = (Float[]) stored.getArray();
        float[] expected = server.vectorOf(rows.getString(1));
        for (int d = 0; d < expected.length; d++) {
          assertThat(vector[d], equalTo(expected[d]));
        }
        checked++;
      }
    }
    assertThat((long) checked, equalTo(chunks));

    List<String> answered = new ArrayList<>(server.textsAnswered());
    answered.remove("dimension check");
    // A text is sent once per embedding of a document that holds it, retries and splits
    // included. (Documents embedded at once may both send a text they share before either has
    // stored it, and the handbook, also inside bundle.zip, can be claimed twice in one run.)
    Map<String, Long> documentsWithText = new HashMap<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                """
                SELECT c.text, sum(s.attempts)
                FROM (SELECT DISTINCT doc_id, text FROM indexing.chunks) c
                JOIN workflow.document_stages s ON s.doc_id = c.doc_id AND s.stage = 'embed'
                GROUP BY c.text""")) {
      while (rows.next()) {
        documentsWithText.put(rows.getString(1), rows.getLong(2));
      }
    }
    Map<String, Long> timesSent =
        answered.stream().collect(Collectors.groupingBy(text -> text, Collectors.counting()));
    assertThat(timesSent.keySet(), equalTo(documentsWithText.keySet()));
    timesSent.forEach(
        (text, times) ->
            assertThat(
                "no chunk embedded twice: " + text,
                times,
                lessThanOrEqualTo(documentsWithText.get(text))));
    long texts = documentsWithText.size();
    assertThat(server.faultsMet(), equalTo(5));
    assertThat(
        server.requests(), equalTo(server.answered() + server.faultsMet() + server.tooLarge()));
    long documents =
        TestDatabases.count(database, "SELECT count(DISTINCT doc_id) FROM indexing.chunks");
    // Per document: its texts in batches of at most the server's limit, after one 413 each time
    // a batch of BATCH was over it.
    assertThat(
        (long) server.answered() - 1,
        lessThanOrEqualTo(answered.size() / SERVER_LIMIT + 2 * documents));

    assertThat(
        TestDatabases.count(
            database,
            "SELECT count(*) FROM observability.token_usage"
                + " WHERE run_id = 'through-faults' AND model = '"
                + MODEL
                + "'"),
        equalTo((long) server.answered() - 1));
    assertThat(
        TestDatabases.count(
            database,
            "SELECT sum(input_tokens) FROM observability.token_usage WHERE run_id = 'through-faults'"),
        equalTo(server.tokens() - 2));
    assertThat(
        TestDatabases.text(
            database,
            "SELECT parameters->'provenance'->>'provider' || ' ' || embedding_model"
                + " FROM indexing.index_versions"),
        equalTo("ENDPOINT " + MODEL));

    // sluice query embeds the question through the same endpoint, and only through it.
    String chunkId =
        TestDatabases.text(
            database,
            "SELECT min(chunk_id) FROM indexing.chunks WHERE text_sha256 IN"
                + " (SELECT text_sha256 FROM indexing.chunks GROUP BY 1 HAVING count(*) = 1)");
    String text =
        TestDatabases.text(
            database, "SELECT text FROM indexing.chunks WHERE chunk_id = '" + chunkId + "'");
    List<String> query =
        new ArrayList<>(
            List.of("query", text, "--databaseUrl=" + database.jdbcUrl(), "--k=1", "--json"));
    CliRun withoutEndpoint = CliRun.of(query.toArray(String[]::new));
    assertThat(withoutEndpoint.exitCode(), equalTo(2));
    assertThat(withoutEndpoint.log(), containsString("pass the same --embeddingEndpoint="));
    query.addAll(
        List.of(
            "--embeddingEndpoint=" + server.url(),
            "--embeddingModel=" + MODEL,
            "--embeddingDimension=32",
            "--embeddingApiKeyFile=" + keyFile));
    CliRun found = CliRun.of(query.toArray(String[]::new));
    assertThat(found.log(), found.exitCode(), equalTo(0));
    // The stand-in's vectors are random per text: a chunk's own text finds that chunk first.
    assertThat(found.out(), containsString("\"chunk_id\":\"" + chunkId + "\""));
  }

  @Test
  public void anEndpointThatStaysDownLeavesRetryableFailuresAndTheNextRunStoresTheDocuments()
      throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    server.downFromRequest(2);

    CliRun down = ingest(database, "endpoint-down");

    assertThat(down.log() + down.out(), down.exitCode(), equalTo(0));
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM indexing.vectors"), equalTo(0L));
    long failed =
        TestDatabases.count(
            database,
            "SELECT count(DISTINCT doc_id) FROM observability.request_failures"
                + " WHERE stage = 'embed' AND error_class = 'io_error' AND retryable");
    assertThat(failed, greaterThan(0L));

    server.up();
    CliRun back = ingest(database, "endpoint-back");

    assertThat(back.log() + back.out(), back.exitCode(), equalTo(0));
    assertThat(
        TestDatabases.count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND status = 'completed' AND run_id = 'endpoint-back'"),
        equalTo(failed));
    assertThat(
        TestDatabases.count(database, "SELECT count(*) FROM indexing.vectors"),
        equalTo(TestDatabases.count(database, "SELECT count(*) FROM indexing.chunks")));
  }

  @Test
  public void aDimensionTheEndpointDoesNotGiveStopsTheRunBeforeAnyDocumentIsRead()
      throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--embeddingEndpoint=" + server.url(),
                "--embeddingModel=" + MODEL,
                "--embeddingDimension=384",
                "--embeddingApiKeyFile=" + keyFile));

    CliRun run = CliRun.ingest(samples.toString(), database.jdbcUrl(), flags);

    assertThat(run.exitCode(), equalTo(2));
    assertThat(run.log(), containsString("32 dimensions, not the 384 declared"));
    assertThat(run.log(), not(containsString("sluice: run")));
    assertThat(server.requests(), equalTo(1));
  }
}
