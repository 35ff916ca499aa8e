package io.sluice.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.arango.ArangoGraph;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.testing.arango.ArangoStandIn;
import io.sluice.transforms.keys.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Ingest into PostgreSQL and ArangoDB (the wire-level stand-in) from the same records: both stores
 * hold the same documents and chunks, and a document ArangoDB refuses is neither marked completed
 * nor lost: the next run stores it.
 */
public class ArangoIngestTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  private ArangoStandIn arango;
  private DatabaseConfig database;
  private Path input;
  private Path passwordFile;

  @Before
  public void setUp() throws Exception {
    arango = ArangoStandIn.start("root", "graph-secret");
    database = TestDatabases.fresh();
    input = folder.newFolder("input").toPath();
    SampleCorpus.writeTo(input);
    passwordFile = folder.newFile("arango-password").toPath();
    Files.writeString(passwordFile, "graph-secret\n");
  }

  @After
  public void tearDown() {
    arango.close();
  }

  private CliRun ingest(String... more) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--arangoUrl=http://127.0.0.1:" + arango.port(),
                "--arangoProtocol=HTTP_JSON",
                "--arangoPasswordFile=" + passwordFile,
                "--arangoBatchDocuments=2"));
    flags.addAll(List.of(more));
    return CliRun.ingest(input.toString(), database.jdbcUrl(), flags);
  }

  private Set<String> completedInPostgres() throws Exception {
    return Ingests.map(
            database,
            "SELECT d.doc_id, d.status FROM ingestion.documents d"
                + " JOIN workflow.document_stages s USING (doc_id)"
                + " WHERE s.stage = 'store' AND s.status = 'completed'")
        .keySet();
  }

  private Set<String> chunksInPostgres() throws Exception {
    return Ingests.map(database, "SELECT chunk_id, doc_id FROM indexing.chunks").keySet();
  }

  private Set<String> inArango(String collection) {
    return arango.documents("sluice", collection).keySet();
  }

  @Test
  public void bothStoresHoldTheSameDocumentsAndChunksThroughReRunsAndChanges() throws Exception {
    CliRun first = ingest();
    assertThat(first.log(), first.exitCode(), equalTo(0));
    assertThat(completedInPostgres().size(), greaterThan(0));
    assertThat(inArango(ArangoGraph.DOCUMENTS), equalTo(completedInPostgres()));
    assertThat(inArango(ArangoGraph.CHUNKS), equalTo(chunksInPostgres()));
    assertThat(inArango(ArangoGraph.HAS_CHUNK).size(), equalTo(chunksInPostgres().size()));

    assertThat(
        "the stand-in answers as 3.12.4: the run ends by giving the chunk vectors their index",
        first.out(),
        containsString("ArangoDB vector index vectors_iv_"));
    assertThat(first.out(), containsString(" created on " + chunksInPostgres().size()));

    CliRun second = ingest();
    assertThat(second.exitCode(), equalTo(0));
    assertThat(second.out(), containsString(" present"));
    assertThat(inArango(ArangoGraph.DOCUMENTS), equalTo(completedInPostgres()));
    assertThat(inArango(ArangoGraph.CHUNKS), equalTo(chunksInPostgres()));

    // A file's bytes change: both stores drop the old document's chunks and keep the same sets.
    String before = Keys.docId(Files.readAllBytes(input.resolve("multilingual.pdf")));
    Files.write(
        input.resolve("multilingual.pdf"),
        SampleCorpus.textPdf("Revised", java.util.List.of("A revised page about canal locks.")));
    CliRun changed = ingest();
    assertThat(changed.exitCode(), equalTo(0));
    assertThat(completedInPostgres().contains(before), equalTo(false));
    assertThat(inArango(ArangoGraph.DOCUMENTS), equalTo(completedInPostgres()));
    assertThat(inArango(ArangoGraph.CHUNKS), equalTo(chunksInPostgres()));
  }

  /**
   * An item ArangoDB refuses for good (1221, an illegal key) settles its document: PostgreSQL's
   * ledger says {@code refused}, the next run neither extracts nor embeds it again, and {@code
   * --retryFailed} stores it in both stores once ArangoDB takes it.
   */
  @Test
  public void aDocumentArangoRefusesIsSettledUntilARunRetriesFailedDocuments() throws Exception {
    String multilingual = Keys.docId(Files.readAllBytes(input.resolve("multilingual.pdf")));
    arango.failKey(multilingual, 1221);
    CliRun refused = ingest();
    assertThat(refused.exitCode(), equalTo(0));
    assertThat(completedInPostgres().contains(multilingual), equalTo(false));
    assertThat(
        TestDatabases.count(
            database,
            "SELECT count(*) FROM observability.request_failures"
                + " WHERE stage = 'store' AND error_class = 'refused' AND NOT retryable"
                + " AND message LIKE '%ArangoDB%error 1221%'"),
        equalTo(1L));
    assertThat(
        "the refused document's claim is given up, not left in progress",
        TestDatabases.count(
            database,
            "SELECT count(*) FROM workflow.document_stages" + " WHERE status = 'in_progress'"),
        equalTo(0L));

    arango.clearFaults();
    CliRun skipped = ingest();
    assertThat(skipped.exitCode(), equalTo(0));
    assertThat(completedInPostgres().contains(multilingual), equalTo(false));
    assertThat(
        TestDatabases.count(
            database,
            "SELECT count(*) FROM observability.request_failures"
                + " WHERE run_id = '"
                + skipped.runId()
                + "'"),
        equalTo(0L));

    CliRun retried = ingest("--retryFailed=true");
    assertThat(retried.exitCode(), equalTo(0));
    assertThat(completedInPostgres().contains(multilingual), equalTo(true));
    assertThat(inArango(ArangoGraph.DOCUMENTS), equalTo(completedInPostgres()));
    assertThat(inArango(ArangoGraph.CHUNKS), equalTo(chunksInPostgres()));
  }
}
