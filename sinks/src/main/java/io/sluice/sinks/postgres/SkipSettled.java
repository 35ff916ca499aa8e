package io.sluice.sinks.postgres;

import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
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
 * Consults the ledger: a document already stored in this index version, failed in a way no retry
 * can change, or quarantined, needs no extraction or embedding again; only its source is recorded
 * as seen. This is what makes a re-run, or a replay after a crash, cost little on any runner.
 * Every other document is claimed ({@code in_progress}) for this run before it goes on; a claim an
 * earlier run left unfinished (it crashed, or was stopped) is taken over and counted as redone.
 */
public final class SkipSettled extends PTransform<PCollection<SourceDocument>, PCollectionTuple> {
  /** Documents that still need work. */
  public static final TupleTag<SourceDocument> PENDING = new TupleTag<>() {};
  /** Sources whose documents are settled. */
  public static final TupleTag<Source> SETTLED = new TupleTag<>() {};

  private final DatabaseConfig database;
  private final RunContext run;

  private SkipSettled(DatabaseConfig database, RunContext run) {
    this.database = database;
    this.run = run;
  }

  static SkipSettled create() {
    return new SkipSettled(null, null);
  }

  public SkipSettled withDatabase(DatabaseConfig newDatabase) {
    if (newDatabase == null) {
      throw new IllegalArgumentException("database must not be null");
    }
    return new SkipSettled(newDatabase, run);
  }

  public SkipSettled withRun(RunContext newRun) {
    if (newRun == null) {
      throw new IllegalArgumentException("run must not be null");
    }
    return new SkipSettled(database, newRun);
  }

  @Override
  public PCollectionTuple expand(PCollection<SourceDocument> documents) {
    if (database == null || run == null) {
      throw new IllegalStateException("withDatabase(…) and withRun(…) are required");
    }
    return documents.apply("Consult ledger", ParDo.of(new LookupFn(database, run))
        .withOutputTags(PENDING, TupleTagList.of(SETTLED)));
  }

  /** What the ledger says of a document: settled, claimed afresh, or taken over from a run. */
  private enum Lookup { SETTLED, CLAIMED, TAKEN_OVER }

  private static final class LookupFn extends DoFn<SourceDocument, SourceDocument> {
    private final Counter pending = Metrics.counter(SkipSettled.class, "documents_pending");
    private final Counter skipped = Metrics.counter(SkipSettled.class, "documents_skipped");
    private final Counter redone = Metrics.counter(SkipSettled.class, "documents_redone");
    private final Counter retries = Metrics.counter(SkipSettled.class, "lookup_retries");

    private final DatabaseConfig database;
    private final RunContext run;
    private transient RetryingConnection connection;
    private transient IngestRepository repository;

    LookupFn(DatabaseConfig database, RunContext run) {
      this.database = database;
      this.run = run;
    }

    @Setup
    public void setup() throws SQLException, InterruptedException {
      connection = new RetryingConnection(database, 6, retries);
      repository = new IngestRepository(run, 1);
      repository.registerIndexVersion(connection);
    }

    @ProcessElement
    public void process(@Element SourceDocument document, MultiOutputReceiver out)
        throws SQLException, InterruptedException {
      String docId = document.source().docId();
      Lookup lookup = connection.inTransaction(c -> repository.isSettled(c, docId)
          ? Lookup.SETTLED
          : repository.claim(c, docId) ? Lookup.TAKEN_OVER : Lookup.CLAIMED);
      if (lookup == Lookup.SETTLED) {
        skipped.inc();
        out.get(SETTLED).output(document.source());
        return;
      }
      if (lookup == Lookup.TAKEN_OVER) {
        redone.inc();
      }
      pending.inc();
      out.get(PENDING).output(document);
    }

    @Teardown
    public void teardown() {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
