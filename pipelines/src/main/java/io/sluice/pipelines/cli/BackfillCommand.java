package io.sluice.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipelines.backfill.BackfillOptions;
import io.sluice.pipelines.backfill.BackfillPipeline;
import io.sluice.pipelines.backfill.BackfillPlan;
import io.sluice.pipelines.backfill.BackfillPlan.Mode;
import io.sluice.pipelines.backfill.BackfillPlan.TableRead;
import io.sluice.pipelines.backfill.ParityCheck;
import io.sluice.pipelines.backfill.ParityCheck.SourceParity;
import io.sluice.pipelines.ingest.PipelineMetrics;
import io.sluice.pipelines.ingest.StoreSettings;
import io.sluice.samples.LegacySamples;
import io.sluice.sinks.postgres.BackfillWatermarks;
import io.sluice.sinks.postgres.BackfillWatermarks.Watermark;
import io.sluice.sinks.postgres.MonthlyPartitions;
import io.sluice.sinks.postgres.RunLedger;
import io.sluice.transforms.legacy.WorkflowReports;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.StreamingOptions;
import org.slf4j.MDC;

/**
 * {@code sluice backfill}: moves what changed in the legacy stores since the last backfill, then
 * proves every source against its target and advances the watermarks of those that match. {@code
 * --verify} only proves.
 */
final class BackfillCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackfillCommand() {}

  static int run(BackfillOptions options, PrintStream out, PrintStream log) throws Exception {
    if (options.getRunId() == null) {
      options.setRunId(UUID.randomUUID().toString());
    }
    String runId = options.getRunId();
    MDC.put("run_id", runId);
    // Bounded sources: a batch job on every runner, whatever a runner config says for ingest.
    options.as(StreamingOptions.class).setStreaming(false);
    // Flink's batch exchanges are blocking by default, each reserving 512 network buffers, and
    // the backfill has one per table slice: more than a stock TaskManager holds (4,096). Pipelined
    // exchanges need a few buffers each; the backfill's graph has no join that could wait on one.
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (flink.getExecutionModeForBatch().equals("PIPELINED")) {
      flink.setExecutionModeForBatch("PIPELINED_FORCED");
    }
    useSamplesWithoutSources(options, log);

    try (Store store = Store.open(options, log)) {
      BackfillWatermarks watermarks = new BackfillWatermarks(store.database());
      if (options.getBackfillSliceRows() <= 0) {
        throw new IllegalArgumentException("--backfillSliceRows must be positive");
      }
      BackfillPlan plan =
          BackfillPlan.make(
              options.getSqliteDir(),
              options.getReportsDir(),
              options.getFull(),
              watermarks.all(),
              options.getBackfillSliceRows());
      plan.notes().forEach(note -> log.println("sluice: " + note));

      Map<String, ParityTable.Moved> moved = new LinkedHashMap<>();
      boolean moveSucceeded = true;
      RunLedger ledger = new RunLedger(store.database());
      long start = System.nanoTime();
      if (!options.getVerify()) {
        ledger.started(runId, JSON.writeValueAsString(describe(options, plan)));
        MonthlyPartitions.addForRun(store.database(), runId);
        log.printf(
            "sluice: backfill run %s · %d tables, %d reports · %s%n",
            runId,
            plan.tables().size(),
            plan.reports().fingerprints().size(),
            options.getRunner().getSimpleName());
        if (plan.hasWork()) {
          // The DirectRunner holds each transform's whole output: a pass per slice bounds it.
          boolean slicePerPass = options.getRunner().getSimpleName().equals("DirectRunner");
          for (BackfillPlan.Pass pass : plan.passes(slicePerPass)) {
            Pipeline pipeline = Pipeline.create(options);
            BackfillPipeline.build(
                pipeline,
                plan,
                pass,
                store.database(),
                runId,
                options.getBackfillBatchSize(),
                StoreSettings.retryPolicy(options));
            PipelineResult result = pipeline.run();
            moveSucceeded = result.waitUntilFinish() == PipelineResult.State.DONE;
            add(moved, moved(result, plan));
            if (!moveSucceeded) {
              break;
            }
          }
        } else {
          log.println("sluice: no source changed since its last proven backfill");
        }
      }
      double moveSeconds = (System.nanoTime() - start) / 1e9;

      long parityStart = System.nanoTime();
      List<SourceParity> parity = ParityCheck.run(plan, store.database());
      double paritySeconds = (System.nanoTime() - parityStart) / 1e9;
      boolean clean = parity.stream().allMatch(SourceParity::clean);
      out.printf(
          "backfill %s %s in %.1f s; parity %s (checked row by row in %.1f s)%n",
          runId,
          options.getVerify() ? "verified" : moveSucceeded ? "moved" : "FAILED",
          moveSeconds,
          clean ? "holds" : "BROKEN",
          paritySeconds);
      ParityTable.print(out, parity, moved);

      if (!options.getVerify()) {
        if (moveSucceeded) {
          watermarks.save(provenWatermarks(plan, parity, runId));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("wall_seconds", moveSeconds);
        summary.put("parity_seconds", paritySeconds);
        summary.put("moved", moved);
        summary.put("parity", parity);
        ledger.finished(
            runId,
            moveSucceeded && clean ? "completed" : "failed",
            JSON.writeValueAsString(summary));
      }
      return moveSucceeded && clean ? 0 : 1;
    }
  }

  /** Without any source flag, backfills generated samples (written on first use). */
  private static void useSamplesWithoutSources(BackfillOptions options, PrintStream log)
      throws Exception {
    if (options.getSqliteDir() != null || options.getReportsDir() != null) {
      return;
    }
    Path samples = Path.of(options.getWorkDir(), "legacy-samples").toAbsolutePath();
    if (!Files.isDirectory(samples)) {
      LegacySamples.writeTo(samples, options.getSampleTokenUsageRows());
      log.println("sluice: no --sqliteDir or --reportsDir; generated legacy samples in " + samples);
    } else {
      log.println("sluice: no --sqliteDir or --reportsDir; backfilling the samples in " + samples);
    }
    options.setSqliteDir(samples.resolve(LegacySamples.SQLITE).toString());
    options.setReportsDir(samples.resolve(LegacySamples.REPORTS).toString());
  }

  private static Map<String, Object> describe(BackfillOptions options, BackfillPlan plan) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("kind", "backfill");
    description.put("sqlite_dir", options.getSqliteDir());
    description.put("reports_dir", options.getReportsDir());
    description.put("full", options.getFull());
    Map<String, String> modes = new LinkedHashMap<>();
    plan.tables()
        .forEach(
            read ->
                modes.put(
                    read.table().layout().source(),
                    read.mode() + (read.cursorFrom() == null ? "" : " > " + read.cursorFrom())));
    description.put("tables", modes);
    description.put("reports_changed", plan.reports().changed().size());
    description.put("notes", plan.notes());
    return description;
  }

  private static Map<String, ParityTable.Moved> moved(PipelineResult result, BackfillPlan plan) {
    List<String> groups = new ArrayList<>();
    plan.tables().stream()
        .filter(read -> read.mode() != Mode.UNCHANGED)
        .forEach(read -> groups.add(read.table().layout().source()));
    if (!plan.reports().changed().isEmpty()) {
      groups.add(WorkflowReports.GROUP);
    }
    Map<String, ParityTable.Moved> moved = new LinkedHashMap<>();
    for (String group : groups) {
      String namespace = "backfill " + group;
      moved.put(
          group,
          new ParityTable.Moved(
              PipelineMetrics.counter(result, namespace, "rows_read"),
              PipelineMetrics.counter(result, namespace, "rows_written"),
              PipelineMetrics.counter(result, namespace, "rows_unchanged")));
    }
    return moved;
  }

  private static void add(
      Map<String, ParityTable.Moved> total, Map<String, ParityTable.Moved> pass) {
    pass.forEach(
        (group, figures) ->
            total.merge(
                group,
                figures,
                (a, b) ->
                    new ParityTable.Moved(
                        a.read() + b.read(),
                        a.written() + b.written(),
                        a.unchanged() + b.unchanged())));
  }

  /** Watermarks for the sources that matched their target: the next run starts from there. */
  private static List<Watermark> provenWatermarks(
      BackfillPlan plan, List<SourceParity> parity, String runId) {
    Map<String, Boolean> clean = new LinkedHashMap<>();
    parity.forEach(source -> clean.put(source.group(), source.clean()));
    List<Watermark> proven = new ArrayList<>();
    for (TableRead read : plan.tables()) {
      if (clean.getOrDefault(read.table().layout().source(), false)) {
        proven.add(
            new Watermark(
                read.table().layout().source(),
                read.fingerprint(),
                read.table().cursorMax(),
                read.table().rows(),
                runId));
      }
    }
    if (clean.getOrDefault(WorkflowReports.GROUP, false)) {
      plan.reports()
          .fingerprints()
          .forEach(
              (file, fingerprint) -> proven.add(new Watermark(file, fingerprint, null, 1, runId)));
    }
    return proven;
  }
}
