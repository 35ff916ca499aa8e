package io.sluice.pipelines;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import io.sluice.pipelines.ingest.PipelineMetrics;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.ledger.ClaimUnsettled;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.testing.ZipFixtures;
import io.sluice.transforms.embed.EmbedChunks;
import io.sluice.transforms.extract.ExtractText;
import io.sluice.transforms.keys.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The foundation's promise, end to end on the DirectRunner with a real PostgreSQL and the real
 * model: every source ends as a stored document or a classified failure; running again changes
 * nothing and embeds nothing; a changed file leaves no stale chunks behind.
 */
public class IngestEndToEndTest {
  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  private static Path input;
  private static String root;

  @BeforeClass
  public static void fixtures() throws Exception {
    input = FOLDER.newFolder("input").toPath();
    SampleCorpus.writeTo(input);
    byte[] pdf = Files.readAllBytes(input.resolve("multilingual.pdf"));
    byte[] other = SampleCorpus.textPdf("Other", List.of("Another page about canal tunnels."));
    Path zips = Files.createDirectories(input.resolve("zips"));
    Files.write(zips.resolve("slip.zip"), ZipFixtures.zipSlip(pdf));
    Files.write(zips.resolve("bomb.zip"), ZipFixtures.bomb(32));
    Files.write(zips.resolve("empty.zip"), ZipFixtures.empty());
    Files.write(zips.resolve("duplicates.zip"), ZipFixtures.duplicateNames(pdf, other));
    Files.write(
        zips.resolve("mixed.zip"),
        SampleCorpus.zip(
            Map.of(
                "good.PDF",
                other,
                "locked.pdf",
                Files.readAllBytes(input.resolve("locked.pdf")),
                "page.html.pdf",
                "<html><body>saved page</body></html>".getBytes(),
                "image.png",
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})));
    root = "file://" + input.toAbsolutePath();
  }

  private static Map<String, String> outcomes(DatabaseConfig database, String runId)
      throws Exception {
    Map<String, String> outcomes =
        new TreeMap<>(
            Ingests.map(
                database,
                "SELECT s.source_uri, d.status FROM ingestion.sources s JOIN ingestion.documents d"
                    + " USING (doc_id)"));
    Ingests.map(
            database,
            "SELECT source_uri, error_class FROM observability.request_failures"
                + " WHERE run_id = ? AND doc_id IS NULL",
            runId)
        .forEach(outcomes::put);
    Map<String, String> relative = new TreeMap<>();
    outcomes.forEach((uri, outcome) -> relative.put(uri.substring(root.length()), outcome));
    return relative;
  }

  @Test
  public void everySourceEndsClassifiedAndASecondRunChangesNothing() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    PipelineResult first = Ingests.run(database, List.of(input.toString()), "run-1");

    Map<String, String> expected = new TreeMap<>();
    expected.put("/handbook.pdf", "ok");
    expected.put("/bundle.zip!/archive/handbook.pdf", "ok");
    expected.put("/bundle.zip!/archive/inner.zip!/appendix.pdf", "ok");
    expected.put("/bundle.zip!/archive/notes.txt", "not_pdf");
    expected.put("/multilingual.pdf", "ok");
    expected.put("/restricted.pdf", "ok");
    expected.put("/scanned.pdf", "no_text");
    expected.put("/locked.pdf", "encrypted");
    expected.put("/broken.pdf", "corrupt");
    expected.put("/not-a-pdf.pdf", "not_pdf");
    expected.put("/zips/slip.zip!/safe/ok.pdf", "ok");
    expected.put("/zips/slip.zip!/../../evil.pdf", "rejected");
    expected.put("/zips/slip.zip!//tmp/evil-absolute.pdf", "rejected");
    expected.put("/zips/slip.zip!/safe/..\\..\\evil-backslash.pdf", "rejected");
    expected.put("/zips/bomb.zip!/zeros.pdf", "rejected");
    expected.put("/zips/bomb.zip", "rejected");
    expected.put("/zips/empty.zip", "no_text");
    expected.put("/zips/duplicates.zip!/report.pdf", "ok");
    expected.put("/zips/duplicates.zip!/report.pdf#2", "ok");
    expected.put("/zips/duplicates.zip!/REPORT.pdf", "ok");
    expected.put("/zips/mixed.zip!/good.PDF", "ok");
    expected.put("/zips/mixed.zip!/locked.pdf", "encrypted");
    expected.put("/zips/mixed.zip!/page.html.pdf", "not_pdf");
    expected.put("/zips/mixed.zip!/image.png", "not_pdf");
    assertThat(outcomes(database, "run-1"), equalTo(expected));

    // Every stored document has chunks with one vector each; no_text documents have none.
    assertThat(
        count(
            database,
            "SELECT count(*) FROM ingestion.documents d WHERE status = 'ok'"
                + " AND NOT EXISTS (SELECT 1 FROM indexing.chunks c WHERE c.doc_id = d.doc_id)"),
        equalTo(0L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM indexing.chunks c JOIN ingestion.documents d"
                + " USING (doc_id) WHERE d.status <> 'ok'"),
        equalTo(0L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM indexing.chunks c WHERE NOT EXISTS"
                + " (SELECT 1 FROM indexing.vectors v WHERE v.chunk_id = c.chunk_id)"),
        equalTo(0L));
    assertThat(
        PipelineMetrics.counter(first, EmbedChunks.class, "chunks_embedded"), greaterThan(0L));
    String afterFirst = Ingests.checksum(database);

    PipelineResult second = Ingests.run(database, List.of(input.toString()), "run-2");
    assertThat(Ingests.checksum(database), equalTo(afterFirst));
    assertThat(PipelineMetrics.counter(second, EmbedChunks.class, "chunks_embedded"), equalTo(0L));
    assertThat(
        PipelineMetrics.counter(second, ExtractText.class, "documents_extracted"), equalTo(0L));
    assertThat(
        PipelineMetrics.counter(second, ClaimUnsettled.class, "documents_claimed"), equalTo(0L));
  }

  @Test
  public void aChangedFileLeavesNoStaleChunks() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    Path folder = FOLDER.newFolder("changing").toPath();
    Path file = folder.resolve("notes.pdf");
    byte[] before = SampleCorpus.textPdf("v1", List.of("The first version talks about locks."));
    byte[] after = SampleCorpus.textPdf("v2", List.of("The second version talks about weirs."));
    Files.write(file, before);
    Ingests.run(database, List.of(folder.toString()), "run-1");
    String oldDoc = Keys.docId(before);
    assertThat(
        count(database, "SELECT count(*) FROM indexing.chunks WHERE doc_id = '" + oldDoc + "'"),
        greaterThan(0L));
    String firstChecksum = Ingests.checksum(database);

    Files.write(file, after);
    Ingests.run(database, List.of(folder.toString()), "run-2");
    assertThat(
        count(database, "SELECT count(*) FROM indexing.chunks WHERE doc_id = '" + oldDoc + "'"),
        equalTo(0L));
    assertThat(
        count(database, "SELECT count(*) FROM ingestion.documents WHERE doc_id = '" + oldDoc + "'"),
        equalTo(0L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM indexing.chunks WHERE doc_id = '" + Keys.docId(after) + "'"),
        greaterThan(0L));
    assertThat(Ingests.checksum(database), not(equalTo(firstChecksum)));
  }
}
