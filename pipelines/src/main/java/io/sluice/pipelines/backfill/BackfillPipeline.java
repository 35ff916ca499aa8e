package io.sluice.pipelines.backfill;

import io.sluice.pipelines.backfill.BackfillPlan.SliceRead;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.LegacyWrite;
import io.sluice.sinks.postgres.PostgresIO;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.transforms.legacy.LegacyRecord;
import io.sluice.transforms.legacy.ReadLegacyTable;
import io.sluice.transforms.legacy.ReadWorkflowReports;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureCoder;
import io.sluice.transforms.retry.RetryPolicy;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The backfill pipeline, one pass of a plan: read slices of the legacy tables that changed (with
 * {@code JdbcIO}, from its cursor when a table only grew) and, in the first pass, the changed
 * reports; map them into the unified schema, upsert them, and record every row or file that could
 * not be moved, with why, in the failure table.
 */
public final class BackfillPipeline {
  private BackfillPipeline() {}

  /** Builds the pipeline of one pass of the plan. */
  public static void build(
      Pipeline pipeline,
      BackfillPlan plan,
      BackfillPlan.Pass pass,
      DatabaseConfig database,
      String runId,
      int batchSize,
      RetryPolicy retry) {
    PCollectionList<LegacyRecord> records = PCollectionList.empty(pipeline);
    PCollectionList<Failure> failures = PCollectionList.empty(pipeline);
    for (SliceRead read : pass.slices()) {
      WithFailures.Result<PCollection<LegacyRecord>, Failure> rows =
          pipeline.apply(
              "Backfill " + read.table().layout().source() + " " + read.slice(),
              ReadLegacyTable.of(read.table()).slice(read.slice()));
      records = records.and(rows.output());
      failures = failures.and(rows.failures());
    }
    if (pass.first() && !plan.reports().changed().isEmpty()) {
      WithFailures.Result<PCollection<LegacyRecord>, Failure> reports =
          pipeline.apply(
              "Backfill reports",
              ReadWorkflowReports.under(plan.reports().root()).files(plan.reports().changed()));
      records = records.and(reports.output());
      failures = failures.and(reports.failures());
    }
    if (pass.first() && !plan.failures().isEmpty()) {
      failures =
          failures.and(
              pipeline.apply(
                  "Unreadable stores", Create.of(plan.failures()).withCoder(FailureCoder.of())));
    }
    if (!records.getAll().isEmpty()) {
      failures =
          failures.and(
              records
                  .apply("All records", Flatten.pCollections())
                  .apply(
                      "Upsert",
                      LegacyWrite.create()
                          .withDatabase(database)
                          .withBatchSize(batchSize)
                          .withRetry(retry))
                  .failures());
    }
    if (!failures.getAll().isEmpty()) {
      failures
          .apply("All failures", Flatten.pCollections())
          .apply(
              "Store failures",
              PostgresIO.writeFailures()
                  .withDatabase(database)
                  .withRun(RunContext.withoutIndex(runId))
                  .withRetry(retry));
    }
  }
}
