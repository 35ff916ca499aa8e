package io.sluice.sinks.postgres;

import static io.sluice.testing.TestDatabases.count;
import static io.sluice.testing.TestDatabases.text;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.sluice.sinks.ledger.ClaimUnsettled;
import io.sluice.sinks.ledger.DocumentLedger;
import io.sluice.testing.TestDatabases;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.model.Stage;
import io.sluice.transforms.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;

/** The ledger's claims (in_progress, taken over after a crash) and its quarantine of poison. */
public class LedgerClaimsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Source SLOW = Fixtures.source("file:///slow.pdf", "slow");

  private interface Work {
    void on(DocumentLedger ledger, java.sql.Connection connection) throws SQLException;
  }

  private static void inRun(DatabaseConfig database, RunContext run, Work work) throws Exception {
    try (RetryingConnection connection =
        new RetryingConnection(
            database, RetryPolicy.DEFAULT.withMaxRetries(0), Metrics.counter("test", "retries"))) {
      DocumentLedger ledger = new DocumentLedger(run);
      connection.inTransaction(
          c -> {
            IndexVersions.register(c, run.indexVersion());
            work.on(ledger, c);
            return null;
          });
    }
  }

  /** A run that claims the slow document and fails it with {@code failureClass}. */
  private static void failSlow(DatabaseConfig database, String runId, FailureClass failureClass)
      throws Exception {
    RunContext run = Fixtures.run(runId);
    inRun(
        database,
        run,
        (ledger, c) -> {
          ledger.claim(c, SLOW.docId());
          new DeadLetters(run)
              .write(c, List.of(Failure.of(SLOW, Stage.EXTRACT, failureClass, "too slow")));
        });
  }

  private static String slowStage(DatabaseConfig database) throws SQLException {
    return text(
        database,
        "SELECT status || ' ' || attempts || ' ' || error_class"
            + " FROM workflow.document_stages WHERE stage = 'extract'");
  }

  private static boolean settledFor(DatabaseConfig database, RunContext run) throws Exception {
    boolean[] settled = new boolean[1];
    inRun(database, run, (ledger, c) -> settled[0] = ledger.isSettled(c, SLOW.docId()));
    return settled[0];
  }

  @Test
  public void aDocumentFailingTheSameRetryableWayInThreeRunsIsQuarantined() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    failSlow(database, "run-1", FailureClass.TIMEOUT);
    failSlow(database, "run-2", FailureClass.TIMEOUT);
    // The runner replays a bundle of run 2: the same attempt, not a third.
    failSlow(database, "run-2", FailureClass.TIMEOUT);
    assertThat(slowStage(database), equalTo("failed 2 timeout"));
    assertThat(settledFor(database, Fixtures.run("run-3")), is(false));

    failSlow(database, "run-3", FailureClass.TIMEOUT);
    assertThat(slowStage(database), equalTo("quarantined 3 timeout"));
    assertThat(
        text(
            database,
            "SELECT error_class || ' ' || retryable || ' ' || message"
                + " FROM observability.request_failures WHERE run_id = 'run-3'"),
        equalTo(
            "quarantined false too slow — failed this way (timeout) in 3 runs; quarantined:"
                + " later runs skip it unless run with --retryQuarantined"));
    assertThat(
        "the document keeps the class it failed with",
        text(database, "SELECT status FROM ingestion.documents"),
        equalTo("timeout"));
    assertThat(settledFor(database, Fixtures.run("run-4")), is(true));
    assertThat(settledFor(database, Fixtures.run("run-4").withQuarantine(3, true)), is(false));
    assertThat(
        new RunLedger(database).state(java.time.Duration.ofMinutes(30)),
        equalTo(new RunLedger.LedgerState(0, 0, 1)));
  }

  @Test
  public void aDifferentFailureStartsTheCountAgain() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    failSlow(database, "run-1", FailureClass.TIMEOUT);
    failSlow(database, "run-2", FailureClass.IO_ERROR);
    failSlow(database, "run-3", FailureClass.TIMEOUT);
    assertThat(slowStage(database), equalTo("failed 1 timeout"));
    failSlow(database, "run-4", FailureClass.CORRUPT);
    assertThat(
        "a permanent failure is settled, not quarantined",
        slowStage(database),
        equalTo("failed 1 corrupt"));
    assertThat(settledFor(database, Fixtures.run("run-5")), is(true));
  }

  @Test
  public void pendingDocumentsAreClaimedAndAnUnfinishedClaimIsRedone() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    SourceDocument fresh =
        new SourceDocument(
            Fixtures.source("file:///new.pdf", "new"), "new".getBytes(StandardCharsets.UTF_8));
    // Run 1 claims the document and dies before finishing it.
    inRun(
        database,
        Fixtures.run("run-1"),
        (ledger, c) -> assertThat(ledger.claim(c, fresh.source().docId()), is(false)));
    assertThat(
        text(database, "SELECT status || ' ' || run_id FROM workflow.document_stages"),
        equalTo("in_progress run-1"));

    pipeline
        .apply(Create.of(List.of(fresh)))
        .apply(PostgresIO.claimUnsettled().withDatabase(database).withRun(Fixtures.run("run-2")));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(
        text(database, "SELECT status || ' ' || run_id FROM workflow.document_stages"),
        equalTo("in_progress run-2"));
    assertThat(
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ClaimUnsettled.class, "documents_redone"))
                    .build())
            .getCounters()
            .iterator()
            .next()
            .getCommitted(),
        equalTo(1L));
    assertThat(
        "a claim is not a document",
        count(database, "SELECT count(*) FROM ingestion.documents"),
        equalTo(0L));
    RunLedger ledger = new RunLedger(database);
    assertThat(
        "claimed just now",
        ledger.state(java.time.Duration.ofMinutes(30)),
        equalTo(new RunLedger.LedgerState(1, 0, 0)));
    TestDatabases.execute(
        database,
        "UPDATE workflow.document_stages" + " SET started_at = now() - interval '31 minutes'");
    assertThat(
        "claimed over 30 minutes ago",
        ledger.state(java.time.Duration.ofMinutes(30)),
        equalTo(new RunLedger.LedgerState(1, 1, 0)));
  }
}
