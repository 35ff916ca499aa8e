package io.sluice.pipelines.ingest;

import io.sluice.sinks.arango.ArangoConfig;
import io.sluice.sinks.arango.ArangoWrite;
import io.sluice.sinks.ledger.ClaimUnsettled;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.PostgresIO;
import io.sluice.sinks.postgres.PostgresStoredVectors;
import io.sluice.sinks.postgres.PostgresTokenUsage;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.transforms.chunk.ChunkText;
import io.sluice.transforms.chunk.Chunker;
import io.sluice.transforms.chunk.ChunkingSettings;
import io.sluice.transforms.chunk.TokenChunker;
import io.sluice.transforms.embed.EmbedChunks;
import io.sluice.transforms.embed.Embedder;
import io.sluice.transforms.embed.EndpointEmbedder;
import io.sluice.transforms.embed.EndpointSpec;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.SentenceEmbedder;
import io.sluice.transforms.extract.ExtractText;
import io.sluice.transforms.extract.ExtractionSettings;
import io.sluice.transforms.keys.IndexVersion;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.read.ReadLimits;
import io.sluice.transforms.read.ReadSources;
import io.sluice.transforms.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The ingest pipeline: read sources, skip what the ledger says is settled, extract, chunk, embed,
 * write the graph to ArangoDB when one is configured, and write documents, sightings and failures
 * to PostgreSQL. Every failure of every stage reaches the failure sink.
 */
public final class IngestPipeline {
  private IngestPipeline() {}

  /** The index version the options describe: model, dimension, chunking and provenance. */
  public static IndexVersion indexVersion(IngestOptions options) {
    ChunkingSettings chunking = chunking(options);
    return new IndexVersion(
        chunking.model().name(),
        chunking.model().dimension(),
        chunking.chunkSize(),
        chunking.chunkOverlap(),
        "model-tokens",
        chunking.acrossPages(),
        endpoint(options)
            .map(EndpointSpec::provenance)
            .orElseGet(() -> model(options).provenance()));
  }

  /** The embedding endpoint the options name, if any, retried as the stores are. */
  public static Optional<EndpointSpec> endpoint(IngestOptions options) {
    return EmbeddingModels.endpoint(options, StoreSettings.retryPolicy(options));
  }

  /** The run the options describe: its id, index version and quarantine rule. */
  public static RunContext runContext(IngestOptions options) {
    return new RunContext(options.getRunId(), indexVersion(options))
        .withQuarantine(options.getQuarantineAfter(), options.getRetryQuarantined())
        .withRetryFailed(options.getRetryFailed());
  }

  /**
   * Settles runner options that follow from sluice's own. In streaming mode on Flink the job ends
   * only when its sources shut down after being idle; they must not shut down while the continuous
   * match is still polling, or Beam's operator spins through the match's timers in its finish
   * phase, busy and deaf to checkpoint barriers and to cancellation. So unless set explicitly,
   * sources shut down a margin after the match stops; with --watch, never.
   */
  public static void prepare(IngestOptions options) {
    if (options.getWatch()) {
      options.as(StreamingOptions.class).setStreaming(true);
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (options.getWatch()) {
      flink.setShutdownSourcesAfterIdleMs(Long.MAX_VALUE);
    } else if (flink.getShutdownSourcesAfterIdleMs() < 0) {
      long afterMatchStops =
          options.getStopAfterIdleSeconds() + 2L * options.getPollIntervalSeconds() + 5;
      flink.setShutdownSourcesAfterIdleMs(afterMatchStops * 1000);
    }
  }

  public static void build(
      Pipeline pipeline,
      IngestOptions options,
      List<String> inputs,
      DatabaseConfig database,
      RunContext run) {
    build(pipeline, options, readSources(options, inputs), database, run);
  }

  /** The pipeline over files matched beforehand: one wave of a DirectRunner batch run. */
  public static void buildWave(
      Pipeline pipeline,
      IngestOptions options,
      List<MatchResult.Metadata> files,
      DatabaseConfig database,
      RunContext run) {
    build(pipeline, options, ReadSources.fromMatched(files), database, run);
  }

  private static void build(
      Pipeline pipeline,
      IngestOptions options,
      ReadSources read,
      DatabaseConfig database,
      RunContext run) {
    build(
        pipeline,
        options,
        read,
        database,
        run,
        TokenChunker::new,
        embedder(options, database, run));
  }

  /** The endpoint's client, its token usage recorded for the run; or the in-process model. */
  private static Embedder.Factory embedder(
      IngestOptions options, DatabaseConfig database, RunContext run) {
    Optional<EndpointSpec> endpoint = endpoint(options);
    if (endpoint.isPresent()) {
      return EndpointEmbedder.factory(
          endpoint.get(),
          new PostgresTokenUsage(database, run.runId(), StoreSettings.retryPolicy(options)));
    }
    return SentenceEmbedder.factory(model(options), embeddingThreads(options));
  }

  /**
   * The embedder of the options, opened where the command runs, so that the model stays loaded (or
   * the endpoint's client and threads stay up) from one DirectRunner wave to the next.
   */
  public static Embedder keepEmbedderOpen(IngestOptions options) {
    Optional<EndpointSpec> endpoint = endpoint(options);
    return endpoint.isPresent()
        ? EndpointEmbedder.open(endpoint.get())
        : SentenceEmbedder.acquire(model(options), embeddingThreads(options));
  }

  /** Inference threads per JVM: as given, or one per core. */
  public static int embeddingThreads(IngestOptions options) {
    return options.getEmbeddingThreads() > 0
        ? options.getEmbeddingThreads()
        : Runtime.getRuntime().availableProcessors();
  }

  /** Text extraction as the options configure it. */
  public static ExtractText extractText(IngestOptions options) {
    return ExtractText.create()
        .withSettings(
            ExtractionSettings.defaults()
                .withTimeout(Duration.ofSeconds(options.getExtractTimeoutSeconds()))
                .withMaxPages(options.getMaxPages())
                .withHonourPermissions(options.getHonourPermissions())
                .withParserHeapMb(options.getParserHeapMb())
                .withParserProcesses(options.getParserProcesses()));
  }

  /**
   * Tries the embedder once where the command runs, unless it is a catalogue model (tested with
   * sluice): a file that is not a model, a tokenizer that does not fit it, an endpoint that refuses
   * the key or does not serve the model, or a declared dimension the vectors do not have is an
   * error before any document is read, not a failure of every document on the workers.
   */
  public static void checkModel(IngestOptions options) {
    Optional<EndpointSpec> endpoint = endpoint(options);
    if (endpoint.isPresent()) {
      EndpointEmbedder.check(endpoint.get());
      return;
    }
    ModelSpec model = model(options);
    if (model.filesSha256() != null) {
      SentenceEmbedder.acquire(model, 1).close();
    }
  }

  /** The in-process embedding model the options name. */
  public static ModelSpec model(IngestOptions options) {
    return EmbeddingModels.spec(options);
  }

  /** The pipeline with another chunker or embedder than sluice's own. */
  public static void build(
      Pipeline pipeline,
      IngestOptions options,
      List<String> inputs,
      DatabaseConfig database,
      RunContext run,
      Chunker.Factory chunker,
      Embedder.Factory embedder) {
    build(pipeline, options, readSources(options, inputs), database, run, chunker, embedder);
  }

  private static void build(
      Pipeline pipeline,
      IngestOptions options,
      ReadSources read,
      DatabaseConfig database,
      RunContext run,
      Chunker.Factory chunker,
      Embedder.Factory embedder) {
    ReadLimits limits =
        new ReadLimits(
            options.getMaxDocumentBytes(),
            options.getMaxArchiveDepth(),
            options.getMaxArchiveEntries(),
            options.getMaxArchiveBytes(),
            options.getMaxCompressionRatio());
    ChunkingSettings chunking = chunking(options);
    RetryPolicy retry = StoreSettings.retryPolicy(options);

    WithFailures.Result<PCollection<SourceDocument>, Failure> sources =
        pipeline.apply("Read sources", read.withLimits(limits));
    PCollectionTuple ledger =
        sources
            .output()
            .apply(
                "Claim unsettled",
                PostgresIO.claimUnsettled().withDatabase(database).withRun(run).withRetry(retry));
    WithFailures.Result<PCollection<DocumentRecord>, Failure> extracted =
        ledger.get(ClaimUnsettled.CLAIMED).apply("Extract text", extractText(options));
    WithFailures.Result<PCollection<DocumentRecord>, Failure> chunked =
        extracted.output().apply("Chunk", ChunkText.with(chunking).withChunker(chunker));
    EmbedChunks embed = EmbedChunks.with(embedder);
    if (options.getReuseVectors()) {
      embed = embed.withStoredVectors(new PostgresStoredVectors(database, run.indexVersionId()));
    }
    WithFailures.Result<PCollection<DocumentRecord>, Failure> vectors =
        chunked.output().apply("Embed", embed);
    PCollection<DocumentRecord> embedded = vectors.output();
    // With ArangoDB, documents reach PostgreSQL, whose ledger marks them completed, only once
    // the graph has them: a document ArangoDB refused is retried by the next run, never skipped.
    PCollectionList<Failure> failures =
        PCollectionList.of(sources.failures())
            .and(extracted.failures())
            .and(chunked.failures())
            .and(vectors.failures());
    Optional<ArangoConfig> arango = ArangoSettings.from(options);
    if (arango.isPresent()) {
      WithFailures.Result<PCollection<DocumentRecord>, Failure> graph =
          embedded.apply(
              "Store graph",
              ArangoWrite.to(arango.get())
                  .withIndexVersion(run.indexVersionId(), chunking.model().name())
                  .withMaxBatchDocuments(options.getArangoBatchDocuments())
                  .withMaxBatchBytes(options.getArangoBatchBytes())
                  .withRetry(retry));
      embedded = graph.output();
      failures = failures.and(graph.failures());
    }
    PCollection<Failure> unstoredDocuments =
        embedded
            .apply(
                "Store documents",
                PostgresIO.writeDocuments()
                    .withDatabase(database)
                    .withRun(run)
                    .withRetry(retry)
                    .withBatchDocuments(options.getBatchDocuments())
                    .withBatchSize(options.getBatchSize()))
            .failures();
    PCollection<Failure> unstoredSightings =
        ledger
            .get(ClaimUnsettled.SETTLED)
            .apply(
                "Record sightings",
                PostgresIO.recordSightings()
                    .withDatabase(database)
                    .withRun(run)
                    .withRetry(retry)
                    .withBatchDocuments(options.getBatchDocuments()))
            .failures();

    failures
        .and(unstoredDocuments)
        .and(unstoredSightings)
        .apply("All failures", Flatten.pCollections())
        .apply("Count failures", CountFailures.byClass())
        .apply(
            "Store failures",
            PostgresIO.writeFailures()
                .withDatabase(database)
                .withRun(run)
                .withRetry(retry)
                .withBatchDocuments(options.getBatchDocuments()));
  }

  /**
   * A one-shot match in batch mode. In streaming mode (Flink with checkpoints, or --watch) the
   * match is continuous, so that its progress lives in the runner's state and a restored job goes
   * on with the files it had not seen; it stops after an idle period unless watching.
   */
  private static ReadSources readSources(IngestOptions options, List<String> inputs) {
    ReadSources read = ReadSources.from(inputs);
    if (!options.getWatch() && !options.as(StreamingOptions.class).isStreaming()) {
      return read;
    }
    return read.continuously(
        Duration.ofSeconds(options.getPollIntervalSeconds()),
        options.getWatch() ? null : Duration.ofSeconds(options.getStopAfterIdleSeconds()));
  }

  private static ChunkingSettings chunking(IngestOptions options) {
    return new ChunkingSettings(
        EmbeddingModels.chunkingModel(options),
        options.getChunkSize(),
        options.getChunkOverlap(),
        options.getChunkAcrossPages());
  }
}
