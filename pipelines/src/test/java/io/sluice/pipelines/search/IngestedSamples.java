package io.sluice.pipelines.search;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.samples.SelfRetrieval;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample documents ingested by {@code sluice ingest} into a fresh embedded PostgreSQL, and a
 * question made of words from the middle of one of their chunks (away from the overlap it shares
 * with its neighbours). The samples are sentences drawn at random from one small vocabulary, so
 * many chunks read alike: the chunk is expected among the first hits (hit@10), not always first.
 */
record IngestedSamples(DatabaseConfig database, Path input, String chunkId, String question) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static IngestedSamples ingest(Path folder) throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    SampleCorpus.writeTo(folder);
    CliRun ingest = CliRun.of("ingest", "--input=" + folder, "--databaseUrl=" + database.jdbcUrl());
    assertThat(ingest.log() + ingest.out(), ingest.exitCode(), equalTo(0));
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet chunk =
            statement.executeQuery(
                """
                SELECT c.chunk_id, c.text FROM indexing.chunks c
                JOIN ingestion.sources s ON s.doc_id = c.doc_id
                WHERE s.source_uri LIKE '%handbook.pdf' AND length(c.text) > 400
                ORDER BY c.ordinal LIMIT 1 OFFSET 1""")) {
      chunk.next();
      return new IngestedSamples(
          database, folder, chunk.getString(1), SelfRetrieval.question(chunk.getString(2)));
    }
  }

  /** {@code sluice query} with these flags: its exit code, and its JSON lines read. */
  static List<JsonNode> queryJson(String... args) throws Exception {
    CliRun run = CliRun.of(args);
    assertThat(run.log() + run.out(), run.exitCode(), equalTo(0));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  /** The chunk ids of the hits, in rank order (explain lines left out). */
  static List<String> chunkIds(List<JsonNode> lines) {
    return lines.stream()
        .filter(line -> line.has("chunk_id"))
        .map(line -> line.get("chunk_id").asText())
        .toList();
  }
}
