package io.sluice.sinks.ledger;

import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.IndexVersions;
import io.sluice.sinks.postgres.RetryingConnection;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.retry.RetryPolicy;
import java.sql.SQLException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Claims, in the ledger, every document that still needs work, and passes on the sources of the
 * others. A document already stored in this index version, failed in a way no retry can change, or
 * quarantined, is settled: it needs no extraction or embedding again, and only its source is
 * recorded as seen ({@link #SETTLED}). This is what makes a re-run, or a replay after a crash, cost
 * little on any runner. Every other document is claimed ({@code in_progress}) for this run before
 * it goes on ({@link #CLAIMED}); a claim an earlier run left unfinished (it crashed, or was
 * stopped) is taken over and counted as redone.
 */
public final class ClaimUnsettled
    extends PTransform<PCollection<SourceDocument>, PCollectionTuple> {
  /** Documents that still need work. */
  public static final TupleTag<SourceDocument> CLAIMED = new TupleTag<>() {};

  /** Sources whose documents are settled. */
  public static final TupleTag<Source> SETTLED = new TupleTag<>() {};

  private final DatabaseConfig database;
  private final RunContext run;
  private final RetryPolicy retry;

  private ClaimUnsettled(DatabaseConfig database, RunContext run, RetryPolicy retry) {
    this.database = database;
    this.run = run;
    this.retry = retry;
  }

  public static ClaimUnsettled create() {
    return new ClaimUnsettled(null, null, RetryPolicy.DEFAULT);
  }

  public ClaimUnsettled withDatabase(DatabaseConfig newDatabase) {
    if (newDatabase == null) {
      throw new IllegalArgumentException("database must not be null");
    }
    return new ClaimUnsettled(newDatabase, run, retry);
  }

  public ClaimUnsettled withRun(RunContext newRun) {
    if (newRun == null) {
      throw new IllegalArgumentException("run must not be null");
    }
    return new ClaimUnsettled(database, newRun, retry);
  }

  public ClaimUnsettled withRetry(RetryPolicy newRetry) {
    if (newRetry == null) {
      throw new IllegalArgumentException("retry must not be null");
    }
    return new ClaimUnsettled(database, run, newRetry);
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceDocument> documents) {
    if (database == null || run == null) {
      throw new IllegalStateException("withDatabase(…) and withRun(…) are required");
    }
    return documents.apply(
        "Consult ledger",
        ParDo.of(new LookupFn(this)).withOutputTags(CLAIMED, TupleTagList.of(SETTLED)));
  }

  /** What the ledger says of a document: settled, claimed afresh, or taken over from a run. */
  private enum Lookup {
    SETTLED,
    CLAIMED,
    TAKEN_OVER
  }

  private static final class LookupFn extends DoFn<SourceDocument, SourceDocument> {
    private final Counter claimed = Metrics.counter(ClaimUnsettled.class, "documents_claimed");
    private final Counter skipped = Metrics.counter(ClaimUnsettled.class, "documents_skipped");
    private final Counter redone = Metrics.counter(ClaimUnsettled.class, "documents_redone");
    private final Counter retries = Metrics.counter(ClaimUnsettled.class, "lookup_retries");

    private final ClaimUnsettled spec;
    private transient RetryingConnection connection;
    private transient DocumentLedger ledger;

    LookupFn(ClaimUnsettled spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() throws SQLException, InterruptedException {
      connection = new RetryingConnection(spec.database, spec.retry, retries);
      ledger = new DocumentLedger(spec.run);
      IndexVersions.register(connection, spec.run);
    }

    @ProcessElement
    public void process(@Element SourceDocument document, MultiOutputReceiver out)
        throws SQLException, InterruptedException {
      String docId = document.source().docId();
      Lookup lookup =
          connection.inTransaction(
              c ->
                  ledger.isSettled(c, docId)
                      ? Lookup.SETTLED
                      : ledger.claim(c, docId) ? Lookup.TAKEN_OVER : Lookup.CLAIMED);
      if (lookup == Lookup.SETTLED) {
        skipped.inc();
        out.get(SETTLED).output(document.source());
        return;
      }
      if (lookup == Lookup.TAKEN_OVER) {
        redone.inc();
      }
      claimed.inc();
      out.get(CLAIMED).output(document);
    }

    @Teardown
    public void teardown() {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
