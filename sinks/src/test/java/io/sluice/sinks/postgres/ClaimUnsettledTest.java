package io.sluice.sinks.postgres;

import io.sluice.sinks.ledger.ClaimUnsettled;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.model.Stage;
import io.sluice.transforms.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class ClaimUnsettledTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static SourceDocument bytesOf(String uri, String content) {
    return new SourceDocument(
        Fixtures.source(uri, content), content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void storedAndPermanentlyFailedDocumentsAreSettledOthersPending() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    RunContext earlier = Fixtures.run("run-1");
    try (RetryingConnection connection =
        new RetryingConnection(
            database,
            RetryPolicy.DEFAULT.withMaxRetries(0),
            org.apache.beam.sdk.metrics.Metrics.counter("test", "retries"))) {
      connection.inTransaction(
          c -> {
            IndexVersions.register(c, earlier.indexVersion());
            DocumentRecord stored = Fixtures.document("file:///stored.pdf", "stored", 2);
            new DocumentWrites(earlier).writeDocuments(c, List.of(stored));
            Source corrupt = Fixtures.source("file:///corrupt.pdf", "corrupt");
            Source slow = Fixtures.source("file:///slow.pdf", "slow");
            new DeadLetters(earlier)
                .write(
                    c,
                    List.of(
                        Failure.of(corrupt, Stage.EXTRACT, FailureClass.CORRUPT, "bad"),
                        Failure.of(slow, Stage.EXTRACT, FailureClass.TIMEOUT, "slow")));
            return null;
          });
    }

    PCollectionTuple ledger =
        pipeline
            .apply(
                Create.of(
                    List.of(
                        bytesOf("file:///renamed-stored.pdf", "stored"),
                        bytesOf("file:///corrupt.pdf", "corrupt"),
                        bytesOf("file:///slow.pdf", "slow"),
                        bytesOf("file:///new.pdf", "new"))))
            .apply(
                PostgresIO.claimUnsettled().withDatabase(database).withRun(Fixtures.run("run-2")));
    PAssert.that(
            ledger
                .get(ClaimUnsettled.SETTLED)
                .apply(
                    "Settled URIs", MapElements.into(TypeDescriptors.strings()).via(Source::uri)))
        .containsInAnyOrder("file:///renamed-stored.pdf", "file:///corrupt.pdf");
    PAssert.that(
            ledger
                .get(ClaimUnsettled.CLAIMED)
                .apply(
                    "Pending URIs",
                    MapElements.into(TypeDescriptors.strings()).via(d -> d.source().uri())))
        .containsInAnyOrder("file:///slow.pdf", "file:///new.pdf");
    pipeline.run().waitUntilFinish();
  }
}
