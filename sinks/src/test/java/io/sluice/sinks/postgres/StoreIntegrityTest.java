package io.sluice.sinks.postgres;

import static io.sluice.testing.TestDatabases.execute;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.testing.TestDatabases;
import io.sluice.transforms.model.DocumentRecord;
import java.util.List;
import org.junit.Before;
import org.junit.Test;

/**
 * The references the bulk tables keep without foreign keys: the sink's writes and removals never
 * break them, and a hand-made edit that does is counted, reference by reference.
 */
public class StoreIntegrityTest {
  private DatabaseConfig database;
  private DocumentRecord alpha;
  private DocumentRecord beta;

  @Before
  public void storedDocuments() throws Exception {
    database = TestDatabases.fresh();
    alpha = Fixtures.document("file:///a.pdf", "alpha", 4);
    beta = Fixtures.document("file:///b.pdf", "beta", 3);
    write("run-1", List.of(alpha, beta, Fixtures.document("file:///c.pdf", "gamma", 5)));
    // c.pdf's bytes change: its old document, chunks and vectors are removed by the sink.
    write("run-2", List.of(Fixtures.document("file:///c.pdf", "gamma, revised", 2)));
  }

  private void write(String runId, List<DocumentRecord> documents) {
    Fixtures.store(database, runId, documents, 4);
  }

  @Test
  public void theSinksWritesAndRemovalsLeaveNoOrphans() throws Exception {
    assertThat(TestDatabases.count(database, "SELECT count(*) FROM indexing.chunks"), equalTo(9L));
    assertThat(StoreIntegrity.orphans(database), equalTo(new StoreIntegrity.Orphans(0, 0, 0)));
  }

  @Test
  public void aDocumentDeletedByHandLeavesItsChunksCounted() throws Exception {
    String docId = alpha.source().docId();
    execute(database, "DELETE FROM ingestion.sources WHERE doc_id = '" + docId + "'");
    execute(database, "DELETE FROM workflow.document_stages WHERE doc_id = '" + docId + "'");
    execute(database, "DELETE FROM ingestion.documents WHERE doc_id = '" + docId + "'");

    assertThat(StoreIntegrity.orphans(database), equalTo(new StoreIntegrity.Orphans(4, 0, 0)));
  }

  @Test
  public void aChunkDeletedByHandLeavesItsVectorCounted() throws Exception {
    execute(
        database,
        "DELETE FROM indexing.chunks WHERE chunk_id = '" + beta.chunks().get(0).chunkId() + "'");

    assertThat(StoreIntegrity.orphans(database), equalTo(new StoreIntegrity.Orphans(0, 1, 0)));
  }

  @Test
  public void anIndexVersionDeletedByHandLeavesItsVectorsCounted() throws Exception {
    execute(database, "DELETE FROM workflow.document_stages");
    execute(database, "DELETE FROM indexing.index_versions");

    assertThat(StoreIntegrity.orphans(database), equalTo(new StoreIntegrity.Orphans(0, 0, 9)));
  }
}
