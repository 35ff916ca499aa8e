package io.sluice.pipelines.cli;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code indexing.pipeline_runs} and {@code sluice status --indexVersions}: what each run added to
 * its index version, and what it removed when a source's bytes changed.
 */
public class IndexHistoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static byte[] manual(String title, String words) throws Exception {
    return SampleCorpus.textPdf(
        title, List.of(words + " one.", words + " two.", words + " three."));
  }

  @Test
  public void eachRunRecordsWhatItAddedAndWhatAChangedSourceRemoved() throws Exception {
    Path input = folder.newFolder("input").toPath();
    Files.write(input.resolve("a.pdf"), manual("A", "Gates open at dawn and close at dusk"));
    Files.write(input.resolve("b.pdf"), manual("B", "Valves are checked every morning"));
    DatabaseConfig database = TestDatabases.fresh();

    CliRun first = CliRun.ingest(input.toString(), database.jdbcUrl(), List.of("--runId=first"));
    long chunksBefore = count(database, "SELECT count(*) FROM indexing.chunks");
    long chunksOfB =
        count(
            database,
            "SELECT count(*) FROM indexing.chunks c JOIN ingestion.sources s USING (doc_id)"
                + " WHERE s.source_uri LIKE '%/b.pdf'");
    Files.write(input.resolve("b.pdf"), manual("B", "Pumps are serviced every spring"));
    CliRun second = CliRun.ingest(input.toString(), database.jdbcUrl(), List.of("--runId=second"));
    CliRun status = CliRun.of("status", "--databaseUrl=" + database.jdbcUrl(), "--indexVersions");
    CliRun json =
        CliRun.of("status", "--databaseUrl=" + database.jdbcUrl(), "--indexVersions", "--json");

    assertThat(first.log(), first.exitCode(), equalTo(0));
    assertThat(second.log(), second.exitCode(), equalTo(0));
    assertThat(chunksOfB, greaterThan(0L));
    JsonNode version = JSON.readTree(json.out().lines().findFirst().orElseThrow());
    assertThat(version.path("embeddingModel").asText(), equalTo("all-minilm-l6-v2-q"));
    JsonNode newest = version.path("runs").get(0);
    JsonNode oldest = version.path("runs").get(1);
    assertThat(oldest.path("runId").asText(), equalTo("first"));
    assertThat(oldest.path("status").asText(), equalTo("completed"));
    assertThat(oldest.path("documentsAdded").asLong(), equalTo(2L));
    assertThat(oldest.path("chunksAdded").asLong(), equalTo(chunksBefore));
    assertThat(oldest.path("vectorsAdded").asLong(), equalTo(chunksBefore));
    assertThat(oldest.path("documentsRemoved").asLong(), equalTo(0L));
    assertThat(newest.path("runId").asText(), equalTo("second"));
    assertThat(newest.path("documentsAdded").asLong(), equalTo(1L));
    assertThat(newest.path("documentsRemoved").asLong(), equalTo(1L));
    assertThat(newest.path("chunksRemoved").asLong(), equalTo(chunksOfB));
    assertThat(newest.path("vectorsRemoved").asLong(), equalTo(chunksOfB));
    assertThat(
        "what the runs added less what they removed is what is stored",
        oldest.path("chunksAdded").asLong()
            + newest.path("chunksAdded").asLong()
            - newest.path("chunksRemoved").asLong(),
        equalTo(count(database, "SELECT count(*) FROM indexing.chunks")));
    assertThat(status.out(), containsString("index version " + version.path("id").asText()));
    assertThat(status.out(), containsString("  index    none (exact search)"));
    assertThat(status.out(), containsString("+" + oldest.path("chunksAdded").asLong() + " / -0"));
  }
}
