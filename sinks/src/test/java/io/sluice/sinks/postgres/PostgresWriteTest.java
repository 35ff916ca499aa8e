package io.sluice.sinks.postgres;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertThrows;

import io.sluice.testing.TestDatabases;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.Stage;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class PostgresWriteTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private DatabaseConfig database;

  @Before
  public void database() throws Exception {
    database = TestDatabases.fresh();
  }

  /** Each write is a pipeline of its own, as separate sluice runs are. */
  private void writeDocuments(String runId, List<DocumentRecord> documents) {
    Fixtures.store(database, runId, documents, 3);
  }

  private void writeFailures(String runId, List<Failure> failures) {
    Pipeline run = Pipeline.create(TestPipeline.testingPipelineOptions());
    run.apply(Create.of(failures))
        .apply(PostgresIO.writeFailures().withDatabase(database).withRun(Fixtures.run(runId)));
    run.run().waitUntilFinish();
  }

  private String checksum() throws Exception {
    return StoreChecksum.report(StoreChecksum.compute(database));
  }

  @Test
  public void writingTheSameDocumentsTwiceLeavesTheSameStores() throws Exception {
    List<DocumentRecord> documents =
        List.of(
            Fixtures.document("file:///a.pdf", "alpha", 7),
            Fixtures.document("file:///b.pdf", "beta", 2),
            Fixtures.document("file:///copy-of-a.pdf", "alpha", 7));
    writeDocuments("run-1", documents);
    String first = checksum();
    writeDocuments("run-2", documents);

    assertThat(checksum(), equalTo(first));
    assertThat(count(database, "SELECT count(*) FROM ingestion.documents"), equalTo(2L));
    assertThat(count(database, "SELECT count(*) FROM ingestion.sources"), equalTo(3L));
    assertThat(count(database, "SELECT count(*) FROM indexing.chunks"), equalTo(9L));
    assertThat(count(database, "SELECT count(*) FROM indexing.vectors"), equalTo(9L));
    assertThat(
        count(database, "SELECT count(*) FROM workflow.document_stages WHERE status = 'completed'"),
        equalTo(8L));
    assertThat(
        count(database, "SELECT count(*) FROM ingestion.sources WHERE last_seen_run_id = 'run-2'"),
        equalTo(3L));
  }

  @Test
  public void aSourceWithNewBytesReplacesItsOldDocumentUnlessAnotherSourceHoldsIt()
      throws Exception {
    writeDocuments(
        "run-1",
        List.of(
            Fixtures.document("file:///a.pdf", "version one", 4),
            Fixtures.document("file:///b.pdf", "shared", 3),
            Fixtures.document("file:///c.pdf", "shared", 3)));
    writeDocuments(
        "run-2",
        List.of(
            Fixtures.document("file:///a.pdf", "version two", 2),
            Fixtures.document("file:///b.pdf", "b changed", 1)));

    String oldDoc = Fixtures.source("x", "version one").docId();
    String sharedDoc = Fixtures.source("x", "shared").docId();
    assertThat(
        count(database, "SELECT count(*) FROM indexing.chunks WHERE doc_id = '" + oldDoc + "'"),
        equalTo(0L));
    assertThat(
        count(database, "SELECT count(*) FROM ingestion.documents WHERE doc_id = '" + oldDoc + "'"),
        equalTo(0L));
    assertThat(
        count(database, "SELECT count(*) FROM indexing.chunks WHERE doc_id = '" + sharedDoc + "'"),
        equalTo(3L));
    assertThat(count(database, "SELECT count(*) FROM indexing.vectors"), equalTo(2L + 3L + 1L));
  }

  @Test
  public void failuresAreRecordedWithTheirClassAndNeverDowngradeAStoredDocument() throws Exception {
    DocumentRecord stored = Fixtures.document("file:///ok.pdf", "fine", 2);
    writeDocuments("run-1", List.of(stored));
    Source broken = Fixtures.source("file:///broken.pdf", "broken bytes");
    writeFailures(
        "run-1",
        List.of(
            Failure.of(broken, Stage.EXTRACT, FailureClass.CORRUPT, "PDF cannot be parsed"),
            Failure.ofUri(
                "file:///x.zip!/../evil.pdf",
                Stage.READ,
                FailureClass.REJECTED,
                "unsafe member name: path traversal (..)"),
            // The same bytes as the stored document, failing elsewhere: the document stays ok.
            Failure.of(
                new Source("file:///ok-again.pdf", stored.source().docId(), 1),
                Stage.EXTRACT,
                FailureClass.TIMEOUT,
                "extraction took longer than 1 s")));

    assertThat(count(database, "SELECT count(*) FROM observability.request_failures"), equalTo(3L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM ingestion.documents WHERE status = 'corrupt'"
                + " AND doc_id = '"
                + broken.docId()
                + "'"),
        equalTo(1L));
    assertThat(
        count(database, "SELECT count(*) FROM ingestion.documents WHERE status = 'ok'"),
        equalTo(1L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE status = 'failed' AND retryable = false AND error_class = 'corrupt'"),
        equalTo(1L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE doc_id = '"
                + stored.source().docId()
                + "' AND status = 'completed'"),
        equalTo(4L));
  }

  /**
   * One transaction holds the batch; the database refuses one document of it for good, so the batch
   * is written again document by document: the refused one is one {@code refused} failure, the
   * others land.
   */
  @Test
  public void aDocumentTheDatabaseRefusesComesOutAsAStoreFailureAndTheBatchLands() {
    DocumentRecord good = Fixtures.document("file:///good.pdf", "good", 1);
    Chunk chunk = good.chunks().get(0);
    Chunk impossible =
        new Chunk(
            chunk.chunkId(),
            chunk.page(),
            chunk.ordinal(),
            10,
            5,
            chunk.tokenCount(),
            chunk.text(),
            chunk.textSha256(),
            chunk.embedding());
    DocumentRecord refused = good.withChunks(List.of(impossible));
    DocumentRecord other = Fixtures.document("file:///other.pdf", "other", 2);
    DocumentRecord third = Fixtures.document("file:///third.pdf", "third", 3);

    WithFailures.Result<PCollection<DocumentRecord>, Failure> stored =
        pipeline
            .apply(Create.of(List.of(other, refused, third)))
            .apply(
                PostgresIO.writeDocuments()
                    .withDatabase(database)
                    .withRun(Fixtures.run("run-1"))
                    .withBatchDocuments(10));
    PAssert.that(
            stored
                .output()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(document -> document.source().uri())))
        .containsInAnyOrder("file:///other.pdf", "file:///third.pdf");
    PAssert.that(stored.failures())
        .satisfies(
            found -> {
              List<Failure> all = StreamSupport.stream(found.spliterator(), false).toList();
              assertThat(all.size(), equalTo(1));
              assertThat(all.get(0).stage(), equalTo(Stage.STORE));
              assertThat(all.get(0).failureClass(), equalTo(FailureClass.REFUSED));
              assertThat(all.get(0).sourceUri(), equalTo("file:///good.pdf"));
              assertThat(all.get(0).message(), containsString("chunks_check"));
              assertThat(all.get(0).message(), containsString("SQLSTATE 23514"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aFailureThatCannotBeRecordedFailsTheRunInsteadOfVanishing() {
    // A doc_id that is not a SHA-256 breaks the table's check constraint: a permanent error.
    Failure unrecordable =
        Failure.of(
            new Source("file:///odd.pdf", "not-a-hash", 1),
            Stage.EXTRACT,
            FailureClass.CORRUPT,
            "PDF cannot be parsed");
    pipeline
        .apply(Create.of(List.of(unrecordable)))
        .apply(PostgresIO.writeFailures().withDatabase(database).withRun(Fixtures.run("run-1")));
    Pipeline.PipelineExecutionException error =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> pipeline.run());
    assertThat(error.getMessage(), containsString("cannot record in PostgreSQL"));
  }

  @Test
  public void theChecksumSeesContentButNotRunIds() throws Exception {
    writeDocuments("run-1", List.of(Fixtures.document("file:///a.pdf", "alpha", 3)));
    String before = checksum();
    TestDatabases.execute(database, "UPDATE indexing.chunks SET run_id = 'other'");
    assertThat(checksum(), equalTo(before));
    TestDatabases.execute(
        database, "UPDATE indexing.vectors SET embedding[1] = embedding[1] + 0.001");
    assertThat(checksum(), not(equalTo(before)));
  }
}
