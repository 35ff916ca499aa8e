package io.sluice.pipelines;

import static io.sluice.testing.TestDatabases.count;
import static io.sluice.testing.TestDatabases.execute;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.pipelines.ingest.PipelineMetrics;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.ledger.ClaimUnsettled;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.extract.ExtractText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A document the store refuses for good (here a CHECK constraint an operator added) settles: it is
 * one {@code refused} failure, the rest of its batch lands, the next run neither extracts nor
 * embeds it again, and {@code --retryFailed} tries it again once the store would take it.
 */
public class StoreRefusalTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void aDocumentTheStoreRefusesIsSettledUntilARunRetriesFailedDocuments() throws Exception {
    Path input = folder.newFolder("input").toPath();
    for (String name : List.of("alpha", "beta", "gamma")) {
      Files.write(
          input.resolve(name + ".pdf"),
          SampleCorpus.textPdf(
              name, List.of("A page about " + name + " and the weirs along the river.")));
    }
    DatabaseConfig database = TestDatabases.fresh();
    execute(
        database,
        "ALTER TABLE indexing.chunks ADD CONSTRAINT no_gamma" + " CHECK (text NOT LIKE '%gamma%')");
    List<String> inputs = List.of(input.toString());

    PipelineResult first = Ingests.run(database, inputs, "first");
    PipelineResult second = Ingests.run(database, inputs, "second");

    assertThat(
        Ingests.map(
            database,
            "SELECT run_id, substring(source_uri from '[a-z]+\\.pdf$')"
                + " || ' ' || stage || ' ' || error_class || ' ' || retryable"
                + " FROM observability.request_failures"),
        equalTo(Map.of("first", "gamma.pdf store refused false")));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND status = 'completed'"),
        equalTo(2L));
    assertThat(
        PipelineMetrics.counter(first, ExtractText.class, "documents_extracted"), equalTo(3L));
    assertThat(
        "the second run extracts nothing",
        PipelineMetrics.counter(second, ExtractText.class, "documents_extracted"),
        equalTo(0L));
    assertThat(
        PipelineMetrics.counter(second, ClaimUnsettled.class, "documents_skipped"), equalTo(3L));

    execute(database, "ALTER TABLE indexing.chunks DROP CONSTRAINT no_gamma");
    PipelineResult retried = Ingests.run(database, inputs, "retried", "--retryFailed=true");

    assertThat(
        PipelineMetrics.counter(retried, ExtractText.class, "documents_extracted"), equalTo(1L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND status = 'completed'"),
        equalTo(3L));
    assertThat(
        count(
            database, "SELECT count(*) FROM workflow.document_stages" + " WHERE status = 'failed'"),
        equalTo(0L));
  }
}
