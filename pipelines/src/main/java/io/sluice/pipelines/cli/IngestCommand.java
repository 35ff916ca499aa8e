package io.sluice.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipelines.ingest.ArangoSettings;
import io.sluice.pipelines.ingest.IngestOptions;
import io.sluice.pipelines.ingest.IngestPipeline;
import io.sluice.pipelines.ingest.PipelineMetrics;
import io.sluice.pipelines.ingest.S3Settings;
import io.sluice.pipelines.ingest.VectorSearchOptions;
import io.sluice.pipelines.ingest.Waves;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.arango.ArangoConfig;
import io.sluice.sinks.arango.ArangoVectorIndexes;
import io.sluice.sinks.ledger.ClaimUnsettled;
import io.sluice.sinks.postgres.HnswSettings;
import io.sluice.sinks.postgres.IndexHistory;
import io.sluice.sinks.postgres.MonthlyPartitions;
import io.sluice.sinks.postgres.PgvectorMode;
import io.sluice.sinks.postgres.PostgresErrors;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.sinks.postgres.RunLedger;
import io.sluice.sinks.postgres.VectorIndexes;
import io.sluice.transforms.embed.EmbedChunks;
import io.sluice.transforms.embed.Embedder;
import io.sluice.transforms.extract.ExtractText;
import io.sluice.transforms.read.InputPatterns;
import io.sluice.transforms.read.ReadSources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.StreamingOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code sluice ingest}: runs the ingest pipeline and reports what it did. */
final class IngestCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(IngestCommand.class);

  private IngestCommand() {}

  static int run(IngestOptions options, PrintStream out, PrintStream log) throws Exception {
    if (options.getRunId() == null) {
      options.setRunId(UUID.randomUUID().toString());
    }
    String runId = options.getRunId();
    MDC.put("run_id", runId);
    PruneGuard.checkFraction(options.getMaxPruneFraction());
    IngestPipeline.prepare(options);
    S3Settings.apply(options);
    FileSystems.setDefaultPipelineOptions(options);
    List<String> inputs = inputs(options, log);
    Map<String, List<MatchResult.Metadata>> matched = match(inputs);
    Map<String, Long> matches = new LinkedHashMap<>();
    matched.forEach((input, found) -> matches.put(input, (long) found.size()));
    long files = matches.values().stream().mapToLong(Long::longValue).sum();
    RunContext run = IngestPipeline.runContext(options);
    IngestPipeline.checkModel(options);
    PgvectorMode pgvector = VectorSearchOptions.pgvectorMode(options);
    HnswSettings hnsw = VectorSearchOptions.hnsw(options);

    try (Store store = Store.open(options, log)) {
      RunLedger ledger = new RunLedger(store.database());
      // Before the run: --pgvector=require fails here, not after hours of embedding, and versions
      // that exist without an index (a database that gained pgvector since) get one.
      VectorIndexes.ensure(store.database(), pgvector, hnsw);
      Map<String, Object> plan = new LinkedHashMap<>();
      plan.put("inputs", inputs);
      plan.put("runner", options.getRunner().getSimpleName());
      plan.put("pipeline_run_id", run.indexVersionId());
      plan.put("index_version", run.indexVersion());
      ledger.started(runId, JSON.writeValueAsString(plan));
      MonthlyPartitions.addForRun(store.database(), runId);
      IndexHistory.runStarted(store.database(), runId, run.indexVersionId());
      log.printf(
          "sluice: run %s · %d files · index version %s · %s%n",
          runId, files, run.indexVersionId(), options.getRunner().getSimpleName());
      LOG.info(
          "ingest of {} files from {} into {} on {}, index version {}",
          files,
          inputs,
          store.database().maskedUrl(),
          options.getRunner().getSimpleName(),
          run.indexVersionId());

      long start = System.nanoTime();
      PipelineResult.State state;
      RunCounters counters;
      try {
        if (inWaves(options)) {
          WaveRunner waves = new WaveRunner();
          counters = waves;
          state = runInWaves(options, matched, store, run, waves, ledger, files, log);
        } else {
          Pipeline pipeline = Pipeline.create(options);
          IngestPipeline.build(pipeline, options, inputs, store.database(), run);
          PipelineResult result;
          try (ProgressReporter progress =
              ProgressReporter.start(ledger, runId, files, null, log)) {
            result = pipeline.run();
            state = result.waitUntilFinish();
          }
          counters = (namespace, name) -> PipelineMetrics.counter(result, namespace, name);
        }
      } catch (RuntimeException e) {
        ledger.finished(runId, "failed", JSON.writeValueAsString(Map.of("error", e.toString())));
        IndexHistory.runFinished(store.database(), runId, "failed", ledger.figures(runId));
        throw e;
      }
      double seconds = (System.nanoTime() - start) / 1e9;

      int pruned = 0;
      Optional<String> pruneHeldBack = Optional.empty();
      if (options.getPrune()) {
        List<String> roots = inputs.stream().map(InputPatterns::rootUri).toList();
        pruneHeldBack =
            PruneGuard.holdBack(
                state,
                matches,
                ledger.sourcesUnder(runId, roots),
                options.getMaxPruneFraction(),
                options.getForce());
        if (pruneHeldBack.isEmpty()) {
          pruned = ledger.prune(runId, roots);
        }
      }
      // After it: a bulk build is faster than indexing every vector as it lands.
      VectorIndexes.Report vectorSearch =
          state == PipelineResult.State.DONE
              ? indexesAfterRun(store, pgvector, hnsw, ArangoSettings.from(options), run)
              : new VectorIndexes.Report(null, List.of(), false);
      RunLedger.RunFigures figures = ledger.figures(runId);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("wall_seconds", seconds);
      summary.put("files_matched", files);
      summary.put("documents_skipped", counters.counter(ClaimUnsettled.class, "documents_skipped"));
      summary.put("documents_redone", counters.counter(ClaimUnsettled.class, "documents_redone"));
      summary.put("pages_extracted", counters.counter(ExtractText.class, "pages_extracted"));
      summary.put("chunks_embedded", counters.counter(EmbedChunks.class, "chunks_embedded"));
      summary.put("vectors_reused", counters.counter(EmbedChunks.class, "vectors_reused"));
      summary.put("documents_read", counters.counter(ReadSources.class, "documents_read"));
      summary.put("documents_pruned", pruned);
      pruneHeldBack.ifPresent(reason -> summary.put("prune_held_back", reason));
      summary.put("figures", figures);
      summary.put("vector_search", vectorSearch.lines());
      boolean done = state == PipelineResult.State.DONE;
      String status = done ? "completed" : state.toString().toLowerCase();
      ledger.finished(runId, status, JSON.writeValueAsString(summary));
      IndexHistory.runFinished(store.database(), runId, status, figures);
      RunReport.print(out, runId, done ? "completed" : state.toString(), figures, summary);
      return done ? 0 : 1;
    }
  }

  /**
   * An index that cannot be built (the server out of memory, a lock held too long) leaves the run
   * complete: its documents are stored, search stays exact, and the report says how to retry.
   */
  private static VectorIndexes.Report indexesAfterRun(
      Store store,
      PgvectorMode pgvector,
      HnswSettings hnsw,
      Optional<ArangoConfig> arango,
      RunContext run) {
    VectorIndexes.Report postgres;
    try {
      postgres = VectorIndexes.ensure(store.database(), pgvector, hnsw);
    } catch (SQLException e) {
      String cause = PostgresErrors.firstLine(e);
      LOG.warn("the HNSW index build failed; search stays exact: {}", cause);
      postgres =
          new VectorIndexes.Report(
              cause,
              List.of("HNSW index build failed (" + cause + "); sluice index --build retries"),
              true);
    }
    if (arango.isEmpty() || run.indexVersion() == null) {
      return postgres;
    }
    List<String> lines = new ArrayList<>(postgres.lines());
    try {
      lines.add(
          ArangoVectorIndexes.ensure(
              arango.get(), run.indexVersionId(), run.indexVersion().dimension()));
    } catch (RuntimeException e) {
      String cause = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      LOG.warn("the ArangoDB vector index was not created: {}", cause);
      lines.add("ArangoDB vector index not created (" + cause + "); the next ingest retries");
    }
    return new VectorIndexes.Report(postgres.exactBecause(), lines, postgres.buildFailed());
  }

  /**
   * A batch run on the DirectRunner goes in waves (see {@link Waves}); a Flink job streams its
   * documents through every stage by itself, and a watching or streaming run never ends.
   */
  private static boolean inWaves(IngestOptions options) {
    return options.getRunner() == DirectRunner.class
        && !options.getWatch()
        && !options.as(StreamingOptions.class).isStreaming();
  }

  private static PipelineResult.State runInWaves(
      IngestOptions options,
      Map<String, List<MatchResult.Metadata>> matched,
      Store store,
      RunContext run,
      WaveRunner waves,
      RunLedger ledger,
      long files,
      PrintStream log)
      throws InterruptedException {
    List<List<MatchResult.Metadata>> split =
        Waves.split(
            matched.values().stream().flatMap(List::stream).toList(),
            options.getWaveFiles(),
            (long) options.getWaveMegabytes() << 20);
    LOG.info("{} files in {} waves", files, split.size());
    // Wave pipelines return at once, so that their counters can be read while they run.
    options.as(DirectOptions.class).setBlockOnRun(false);
    // The model stays loaded, and the parser processes warm, between waves instead of being
    // started again for each.
    try (ExtractText.ParserLease parsers =
            IngestPipeline.extractText(options).keepParsersRunning();
        Embedder embedder = IngestPipeline.keepEmbedderOpen(options);
        ProgressReporter progress =
            ProgressReporter.start(ledger, options.getRunId(), files, waves, log)) {
      return waves.run(
          split,
          wave -> {
            Pipeline pipeline = Pipeline.create(options);
            IngestPipeline.buildWave(pipeline, options, wave, store.database(), run);
            return pipeline;
          });
    }
  }

  /** The given inputs, or the generated samples (written on first use) when there are none. */
  private static List<String> inputs(IngestOptions options, PrintStream log) throws Exception {
    if (options.getInput() != null && !options.getInput().isEmpty()) {
      return options.getInput();
    }
    Path samples = Path.of(options.getWorkDir(), "samples").toAbsolutePath();
    if (!Files.isDirectory(samples)) {
      SampleCorpus.writeTo(samples);
      log.println("sluice: no --input; generated sample documents in " + samples);
    } else {
      log.println("sluice: no --input; ingesting the sample documents in " + samples);
    }
    return List.of(samples.toString());
  }

  /**
   * Matches every input before the run, so a missing file, a missing bucket, refused credentials or
   * an unreachable endpoint is one clear error and nothing is written. Returns the files each input
   * matched that the run reads: a folder's or a glob's PDFs and ZIPs, a named file whatever its
   * name.
   */
  private static Map<String, List<MatchResult.Metadata>> match(List<String> inputs)
      throws Exception {
    Map<String, List<MatchResult.Metadata>> files = new LinkedHashMap<>();
    for (String input : inputs) {
      String pattern = InputPatterns.toPattern(input);
      MatchResult match;
      try {
        match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW_IF_WILDCARD);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(InputProblems.describe(input, e), e);
      }
      if (match.status() != MatchResult.Status.OK) {
        throw new IllegalArgumentException(InputProblems.describe(input, match));
      }
      List<MatchResult.Metadata> read =
          match.metadata().stream()
              .filter(
                  file ->
                      !InputPatterns.isGlob(pattern)
                          || InputPatterns.isIngestibleName(file.resourceId().toString()))
              .toList();
      files.computeIfAbsent(input, any -> new ArrayList<>()).addAll(read);
    }
    return files;
  }
}
