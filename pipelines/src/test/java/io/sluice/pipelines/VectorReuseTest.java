package io.sluice.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.EditedManual;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.keys.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * An edited document re-embeds only what changed: a 100-page manual is ingested, one page's text is
 * replaced, and the next ingest computes embeddings for that page's chunks (two more at most),
 * taking every other vector from the store, and stores exactly the vectors a clean ingest of the
 * new file stores.
 */
public class VectorReuseTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static CliRun ingest(Path input, DatabaseConfig database, String runId, String... flags) {
    List<String> more = new ArrayList<>(List.of("--runId=" + runId));
    more.addAll(List.of(flags));
    CliRun run = CliRun.ingest(input.toString(), database.jdbcUrl(), more);
    assertThat(run.log() + run.out(), run.exitCode(), equalTo(0));
    return run;
  }

  /** The document's vectors by chunk id, in PostgreSQL's text form of real[] (every bit shown). */
  private static Map<String, String> vectors(DatabaseConfig database, String docId)
      throws Exception {
    return Ingests.map(
        database,
        "SELECT v.chunk_id, v.embedding::text FROM indexing.vectors v"
            + " JOIN indexing.chunks c ON c.chunk_id = v.chunk_id WHERE c.doc_id = ?",
        docId);
  }

  /** The manual ingested, then its edited version; what the second ingest did. */
  private record Edited(DatabaseConfig database, byte[] edited, CliRun run, long embedded) {
    String docId() {
      return Keys.docId(edited);
    }

    long chunks() throws Exception {
      return TestDatabases.count(
          database, "SELECT count(*) FROM indexing.chunks WHERE doc_id = '" + docId() + "'");
    }
  }

  private Edited ingestThenEdit(String... flags) throws Exception {
    Path input = folder.newFolder("input").toPath();
    Path manual = input.resolve("manual.pdf");
    Files.write(manual, EditedManual.original());
    DatabaseConfig database = TestDatabases.fresh();
    ingest(input, database, "original");

    byte[] edited = EditedManual.edited();
    Files.write(manual, edited);
    CliRun again = ingest(input, database, "edited", flags);
    long embedded =
        Long.parseLong(
            TestDatabases.text(
                database,
                "SELECT payload->>'chunks_embedded' FROM workflow.run_records"
                    + " WHERE run_id = 'edited' AND record_kind = 'run'"));
    return new Edited(database, edited, again, embedded);
  }

  @Test
  public void anEditedPageIsTheOnlyOneEmbeddedAgain() throws Exception {
    Edited edited = ingestThenEdit();

    long pageChunks =
        TestDatabases.count(
            edited.database(),
            "SELECT count(*) FROM indexing.chunks WHERE doc_id = '"
                + edited.docId()
                + "' AND page = "
                + EditedManual.EDITED_PAGE);
    long chunks = edited.chunks();
    long embedded = edited.embedded();
    assertThat(pageChunks, greaterThan(0L));
    assertThat(embedded, greaterThan(0L));
    assertThat(
        embedded + " embedded of " + chunks + " chunks, " + pageChunks + " on the edited page",
        embedded,
        lessThanOrEqualTo(pageChunks + 2));
    assertThat(edited.run().out(), containsString("vectors reused"));
    assertThat(edited.run().out(), containsString(Long.toString(chunks - embedded)));

    Path cleanInput = folder.newFolder("clean").toPath();
    Files.write(cleanInput.resolve("manual.pdf"), edited.edited());
    DatabaseConfig clean = TestDatabases.fresh();
    ingest(cleanInput, clean, "clean");
    Map<String, String> reused = vectors(edited.database(), edited.docId());
    assertThat(reused.size(), equalTo((int) chunks));
    assertThat(reused, equalTo(vectors(clean, edited.docId())));
  }

  @Test
  public void withoutReuseEveryChunkIsEmbeddedAgain() throws Exception {
    Edited edited = ingestThenEdit("--reuseVectors=false");

    assertThat(edited.embedded(), equalTo(edited.chunks()));
  }
}
