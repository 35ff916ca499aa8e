package io.sluice.bench;

import io.sluice.pipelines.cli.CliCommand;
import io.sluice.pipelines.ingest.EmbeddingModels;
import io.sluice.pipelines.ingest.IngestOptions;
import io.sluice.pipelines.ingest.IngestPipeline;
import io.sluice.samples.BigCorpus;
import io.sluice.samples.EditedManual;
import io.sluice.samples.EmbeddedPostgresServer;
import io.sluice.samples.PgliteServer;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.RunContext;
import io.sluice.sinks.postgres.SchemaMigrations;
import io.sluice.transforms.chunk.ChunkingSettings;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.commons.io.FileUtils;

/**
 * {@code ./sluice bench}: every stage alone, the pipeline end to end on the DirectRunner and on
 * Flink, and LangChain4j's ingestor doing the same job, all in one run on one corpus, then the
 * ratios between them, which drift far less than absolute times on a shared machine. The pipeline
 * runs are real {@code sluice ingest} commands measured from outside.
 */
public final class Bench {
  /** The flags of {@code sluice bench}. */
  public interface BenchOptions extends PipelineOptions {
    @Description("Folder of PDFs to measure on (default: generated manuals).")
    String getCorpus();

    void setCorpus(String value);

    @Description("Folder for the bench's runs; emptied first.")
    @Default.String(".sluice/bench")
    String getBenchDir();

    void setBenchDir(String value);

    @Description(
        "Also measure what a Flink cluster buys (P6): a stock cluster of one"
            + " TaskManager pinned to one core at parallelism 1, then two pinned to a core each at"
            + " parallelism 2. Also given as --flink-cluster.")
    @Default.Boolean(false)
    boolean getFlinkCluster();

    void setFlinkCluster(boolean value);

    @Description(
        "Measure a big folder instead (issue 15): copies of --corpus's PDFs (or generated"
            + " manuals) up to at least 300 files and 20,000 pages, ingested whole and a third of"
            + " it, each with its first stored document, its stored documents at 25/50/75 % of"
            + " the wall time, its peak RSS, chunks/s and P1.")
    @Default.Boolean(false)
    boolean getBigCorpus();

    void setBigCorpus(boolean value);

    @Description(
        "Measure retrieval alone (issue 16): ingest --corpus, then hit@10, HNSW recall@10 against"
            + " exact search, query latencies and index build time, on the corpus and on it grown"
            + " tenfold; the full bench measures it too.")
    @Default.Boolean(false)
    boolean getRetrieval();

    void setRetrieval(boolean value);

    @Description(
        "Measure vector reuse alone (issue 17): a 100-page manual ingested, one page edited and"
            + " re-ingested, against a clean ingest of the edited manual; the full bench measures"
            + " it too.")
    @Default.Boolean(false)
    boolean getReuse();

    void setReuse(boolean value);

    @Description(
        "Measure embedding alone (issue 17): each catalogue model on the same chunk texts, and an"
            + " ingest through an OpenAI-compatible endpoint against the endpoint's own rate.")
    @Default.Boolean(false)
    boolean getEmbeddings();

    void setEmbeddings(boolean value);

    @Description(
        "Measure sluice status and one progress tick on a synthetic store (issue 18): --scaleChunks"
            + " chunk rows written with COPY into an embedded PostgreSQL, not ingested.")
    @Default.Boolean(false)
    boolean getAtScale();

    void setAtScale(boolean value);

    @Description("Chunk rows of the --atScale store.")
    @Default.Long(10_000_000L)
    long getScaleChunks();

    void setScaleChunks(long value);
  }

  // A guard against a hung run, not a goal: a big folder takes an hour on a slow day.
  private static final Duration RUN_LIMIT = Duration.ofHours(3);
  private static final int SINK_ROUNDS = 5;
  private static final int GENERATED_MANUALS = 24;
  private static final int GENERATED_PAGES = 8;
  private static final int BIG_FILES = 300;
  private static final int BIG_PAGES = 20_000;
  private static final int RETRIEVAL_QUESTIONS = 100;
  private static final int EMBEDDING_TEXTS = 2000;
  private static final int ENDPOINT_BATCH = 64;
  // The big folder's copies repeat their source's text: a folder of new documents embeds them all.
  private static final String COPIES_EMBEDDED = "--reuseVectors=false";

  private final BenchOptions options;
  private final Path root;
  private final Path jobJar;
  private final Path benchDir;
  private final PrintStream out;

  private Bench(BenchOptions options, PrintStream out) {
    this.options = options;
    this.root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath();
    this.jobJar = Path.of(System.getProperty("sluice.jobJar"));
    this.benchDir = Path.of(options.getBenchDir()).toAbsolutePath();
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(BenchOptions.class);
    // The issue that asked for P6 names the flag --flink-cluster; Beam's flags are camel case.
    String[] flags =
        Arrays.stream(args)
            .map(arg -> arg.equals("--flink-cluster") ? "--flinkCluster=true" : arg)
            .toArray(String[]::new);
    BenchOptions options =
        PipelineOptionsFactory.fromArgs(flags).withValidation().as(BenchOptions.class);
    new Bench(options, System.out).run();
    System.exit(0);
  }

  private void run() throws Exception {
    FileUtils.deleteDirectory(benchDir.toFile());
    Files.createDirectories(benchDir);
    if (options.getBigCorpus()) {
      runBig();
      return;
    }
    if (options.getAtScale()) {
      runAtScale();
      return;
    }
    if (options.getReuse()) {
      out.printf("sluice bench --reuse · %s%n", Machine.describe());
      try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
        out.println("\npipeline (sluice ingest, each its own JVM)");
        reuseRatio(reuse(server));
      }
      return;
    }
    Path corpus = corpus();
    if (options.getRetrieval()) {
      runRetrieval(corpus);
      return;
    }
    if (options.getEmbeddings()) {
      runEmbeddings(corpus);
      return;
    }
    Path third = thirdOf(corpus);
    List<SourceDocument> sources = pdfs(corpus);
    out.printf(
        "sluice bench · %s · corpus %s (%d PDFs, %.1f MB)%n",
        Machine.describe(),
        corpus,
        sources.size(),
        sources.stream().mapToLong(s -> s.content().length).sum() / 1e6);

    IngestOptions defaults = PipelineOptionsFactory.create().as(IngestOptions.class);
    defaults.setRunId("bench-sink");
    RunContext sinkRun = IngestPipeline.runContext(defaults);
    ChunkingSettings chunking = ChunkingSettings.defaults(EmbeddingModels.spec(defaults));

    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
      out.println("\nstage limits (this JVM)");
      StageLimits.Result stages = StageLimits.measure(sources, chunking);
      row("extraction, PDFBox, 1 thread", stages.extractionPages(), "pages");
      row("chunking", stages.chunking(), "chunks");
      row("embedding alone, " + stages.threads() + " threads", stages.embedding(), "chunks");
      List<SinkAgainstCopy.Round> rounds =
          SinkAgainstCopy.measure(
              server,
              stages.embedded(),
              sinkRun,
              defaults.getBatchDocuments(),
              defaults.getBatchSize(),
              SINK_ROUNDS);
      for (SinkAgainstCopy.Round round : rounds) {
        out.printf(
            Locale.ROOT,
            "  %-34s %8.3f   (COPY %.0f / %.0f / %.0f rows/s, sink %.0f rows/s)%n",
            "sink ÷ keyed COPY, round " + (rounds.indexOf(round) + 1),
            round.ratio(),
            round.copy().raw().perSecond(),
            round.copy().durable().perSecond(),
            round.copy().own().perSecond(),
            round.sink().perSecond());
      }
      SinkAgainstCopy.Round median = SinkAgainstCopy.median(rounds);
      CopyBinary.Limits copyLimits = median.copy();
      Rate copy = copyLimits.raw();
      Rate sink = median.sink();
      out.println("  the round with the median ratio:");
      row("COPY BINARY, unlogged, no keys", copy, "rows");
      row("COPY BINARY, logged, keys+indexes", copyLimits.durable(), "rows");
      row("COPY BINARY, sluice's tables", copyLimits.own(), "rows");
      row("sluice PostgreSQL sink", sink, "rows");

      out.println("\npipeline (sluice ingest, each its own JVM, measured from outside)");
      DatabaseConfig direct = migrated(server, "bench_direct");
      PipelineRun first = ingest("direct first run", corpus, direct, "first");
      PipelineRun again = ingest("direct unchanged re-run", corpus, direct, "rerun");
      List<Retrieval.Figures> retrieval = retrieval(direct);
      PipelineRun thirdRun =
          ingest("direct, a third of the corpus", third, migrated(server, "bench_third"), "third");
      ClusterScaling.Run oneCore = null;
      ClusterScaling.Run twoCores = null;
      if (options.getFlinkCluster()) {
        ClusterScaling scaling = new ClusterScaling(root, jobJar, benchDir.resolve("flink"));
        oneCore = cluster(scaling, 1, corpus, migrated(server, "bench_cluster1"));
        twoCores = cluster(scaling, 2, corpus, migrated(server, "bench_cluster2"));
      }
      PipelineRun[] reuse = reuse(server);
      MeasuredProcess.Result peer = peer(corpus);
      MeasuredProcess.Result cold =
          MeasuredProcess.run(
              CliCommand.of(
                  jobJar,
                  List.of("-Xmx2g"),
                  List.of("ingest", "--workDir=" + benchDir.resolve("cold"))),
              root,
              RUN_LIMIT);
      out.printf(
          "  %-34s %8.1f s   (generated samples, embedded PostgreSQL started)%n",
          "cold ./sluice ingest", cold.wallSeconds());

      out.println("\nratios");
      ratio(
          "P1",
          first.chunksPerSecond() / stages.embedding().perSecond(),
          "end-to-end chunks/s ÷ embedding alone (goal ≥ 0.90)");
      ratio(
          "P2",
          peer.wallSeconds() / first.process().wallSeconds(),
          "LangChain4j wall ÷ sluice wall, same PDFs (goal ≥ 2.0)");
      ratio(
          "P3",
          sink.perSecond() / copyLimits.durable().perSecond(),
          "sink rows/s ÷ COPY BINARY rows/s into logged tables with keys, median of "
              + SINK_ROUNDS
              + " rounds (goal ≥ 0.80); into"
              + " unlogged scratch tables: "
              + String.format(Locale.ROOT, "%.3f", sink.perSecond() / copy.perSecond())
              + "; into sluice's own tables: "
              + String.format(
                  Locale.ROOT, "%.3f", sink.perSecond() / copyLimits.own().perSecond()));
      ratio(
          "P4",
          again.pipelineSeconds() / first.pipelineSeconds(),
          "unchanged re-run ÷ first"
              + " run, pipeline time; "
              + again.chunksEmbedded()
              + " embeddings (goal ≤ 0.05)");
      if (oneCore != null) {
        ratio(
            "P6",
            twoCores.chunksPerSecond() / oneCore.chunksPerSecond(),
            "Flink cluster, 2 TaskManagers on a core each at parallelism 2 ÷ 1 on one core at"
                + " parallelism 1, chunks/s (goal ≥ 1.8)");
      }
      retrievalRatios(retrieval);
      reuseRatio(reuse);
      ratio("P8", cold.wallSeconds(), "cold ./sluice ingest of the samples, seconds (goal ≤ 30)");
      ratio(
          "RSS_MIB",
          first.process().peakRssMiB(),
          "peak RSS of the whole corpus run, MiB"
              + " (goal ≤ 1536, flat; a third of the corpus: "
              + Math.round(thirdRun.process().peakRssMiB())
              + ")");
    }
  }

  /**
   * Vector reuse: the edited manual's re-ingest and a clean ingest of it, each measured as an
   * ingest of its own (the first ingest of the original manual is measured too, and not used).
   */
  private PipelineRun[] reuse(EmbeddedPostgresServer server) throws Exception {
    Path folder = Files.createDirectories(benchDir.resolve("reuse"));
    Path manual = folder.resolve("manual.pdf");
    Files.write(manual, EditedManual.original());
    DatabaseConfig database = migrated(server, "bench_reuse");
    ingest("reuse: a 100-page manual", folder, database, "reuse-original");
    Files.write(manual, EditedManual.edited());
    PipelineRun edited = ingest("reuse: one page edited", folder, database, "reuse-edited");
    Path clean = Files.createDirectories(benchDir.resolve("reuse-clean"));
    Files.write(clean.resolve("manual.pdf"), EditedManual.edited());
    PipelineRun fresh =
        ingest(
            "reuse: the edited one, clean", clean, migrated(server, "bench_reuse_clean"), "clean");
    return new PipelineRun[] {edited, fresh};
  }

  private void reuseRatio(PipelineRun[] reuse) {
    ratio(
        "REUSE",
        reuse[0].chunksEmbedded() / (double) reuse[1].chunksEmbedded(),
        String.format(
            Locale.ROOT,
            "embeddings computed re-ingesting the manual with one page of %d edited ÷ a clean"
                + " ingest of it (%d ÷ %d; pipeline %.1f s ÷ %.1f s)",
            EditedManual.PAGES,
            reuse[0].chunksEmbedded(),
            reuse[1].chunksEmbedded(),
            reuse[0].pipelineSeconds(),
            reuse[1].pipelineSeconds()));
  }

  /**
   * Embedding alone: the catalogue's models on the same texts, for the README's table; then an
   * ingest of the corpus through an endpoint serving the default model, against what one client
   * gets from that endpoint sending the same texts in batches.
   */
  private void runEmbeddings(Path corpus) throws Exception {
    out.printf("sluice bench --embeddings · %s · corpus %s%n", Machine.describe(), corpus);
    List<String> texts = EmbeddingRates.texts(pdfs(corpus), EMBEDDING_TEXTS);
    out.printf("%nmodels alone (this JVM, %d chunk texts)%n", texts.size());
    for (EmbeddingRates.ModelRate model : EmbeddingRates.perModel(texts)) {
      row(model.model().name(), model.rate(), "chunks");
    }
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary();
        ModelEndpoint endpoint = new ModelEndpoint(ModelCatalogue.ALL_MINILM_L6_V2_Q)) {
      out.println("\nOpenAI-compatible endpoint (the default model behind /v1/embeddings)");
      Rate alone = EmbeddingRates.endpointAlone(endpoint, texts, ENDPOINT_BATCH);
      row("one client, batches of " + ENDPOINT_BATCH, alone, "chunks");
      PipelineRun through =
          ingest(
              "ingest through the endpoint",
              corpus,
              migrated(server, "bench_endpoint"),
              "endpoint",
              "--embeddingEndpoint=" + endpoint.url(),
              "--embeddingModel=" + endpoint.model(),
              "--embeddingDimension=" + ModelCatalogue.ALL_MINILM_L6_V2_Q.dimension(),
              "--embeddingBatchSize=" + ENDPOINT_BATCH,
              COPIES_EMBEDDED);
      out.println("\nratios");
      ratio(
          "ENDPOINT",
          through.chunksPerSecond() / alone.perSecond(),
          "sluice ingest through the endpoint ÷ one client sending the same texts in batches"
              + " (goal ≥ 0.90)");
    }
  }

  /** Retrieval alone: the corpus ingested once, then searched. */
  private void runRetrieval(Path corpus) throws Exception {
    out.printf("sluice bench --retrieval · %s · corpus %s%n", Machine.describe(), corpus);
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
      out.println("\npipeline (sluice ingest, its own JVM)");
      DatabaseConfig database = migrated(server, "bench_retrieval");
      ingest("direct first run", corpus, database, "first");
      List<Retrieval.Figures> figures = retrieval(database);
      out.println("\nratios");
      retrievalRatios(figures);
    }
  }

  /** The retrieval section, or why it cannot run here (PGlite needs Node.js). */
  private List<Retrieval.Figures> retrieval(DatabaseConfig ingested) throws Exception {
    out.printf(
        "%nretrieval (%d questions from inside chunks, k = 10; pgvector on PGlite)%n",
        RETRIEVAL_QUESTIONS);
    Optional<String> unavailable = PgliteServer.unavailable();
    if (unavailable.isPresent()) {
      out.println("  not measured: " + unavailable.get());
      return List.of();
    }
    List<Retrieval.Figures> figures =
        Retrieval.measure(ingested, root.resolve(".sluice").resolve("pglite"), RETRIEVAL_QUESTIONS);
    figures.forEach(store -> out.println(Retrieval.describe(store)));
    return figures;
  }

  private void retrievalRatios(List<Retrieval.Figures> figures) {
    for (Retrieval.Figures store : figures) {
      Retrieval.Indexed byDefault = store.byDefault();
      String on =
          " ("
              + store.store()
              + ", "
              + store.vectors()
              + " vectors, ef_search "
              + byDefault.efSearch()
              + ")";
      ratio("HIT@10", byDefault.hit(), "a question from inside a chunk finds it, HNSW" + on);
      ratio("RECALL@10", byDefault.recall(), "HNSW's top 10 ÷ exact search's (goal ≥ 0.95)" + on);
      ratio(
          "ANN_SPEEDUP",
          store.exact().p50() / byDefault.latency().p50(),
          "median latency, pgvector exact ÷ HNSW" + on);
    }
  }

  private ClusterScaling.Run cluster(
      ClusterScaling scaling, int taskManagers, Path corpus, DatabaseConfig database)
      throws Exception {
    ClusterScaling.Run run =
        scaling.measure(taskManagers, corpus, database, "cluster-p" + taskManagers);
    out.printf(
        Locale.ROOT,
        "  %-34s %8.1f s   processing %.1f s · %d chunks embedded · %.1f" + " chunks/s%n",
        "Flink cluster, " + taskManagers + " TM × 1 core",
        run.pipeline().process().wallSeconds(),
        run.windowSeconds(),
        run.pipeline().chunksEmbedded(),
        run.chunksPerSecond());
    return run;
  }

  /** A database of its own on the bench's server, migrated to sluice's schema. */
  private void runAtScale() throws Exception {
    out.printf("sluice bench --atScale · %s%n", Machine.describe());
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
      StatusAtScale.Figures figures =
          StatusAtScale.measure(migrated(server, "bench_scale"), options.getScaleChunks());
      SyntheticStore.Shape shape = figures.shape();
      out.printf(
          Locale.ROOT,
          "%nstore: %,d chunk rows, %,d documents and sources, %,d stage rows, %d runs,"
              + " %.1f GB, written with COPY in %.0f s%n",
          shape.chunks(),
          shape.documents(),
          shape.documents() * 4,
          SyntheticStore.RUNS,
          figures.databaseBytes() / 1e9,
          figures.writeSeconds());
      out.printf(Locale.ROOT, "  %-44s %9.1f ms%n", "sluice status", figures.statusMillis());
      out.printf(
          Locale.ROOT,
          "  %-44s %9.1f ms%n",
          "sluice status --doc=<a source>",
          figures.statusDocMillis());
      out.printf(
          Locale.ROOT,
          "  %-44s %9.1f ms%n",
          "sluice status --indexVersions",
          figures.statusIndexVersionsMillis());
      out.printf(
          Locale.ROOT,
          "  %-44s %9.1f ms%n",
          "one progress tick (run of " + shape.chunks() / SyntheticStore.RUNS + " chunks)",
          figures.progressTickMillis());
    }
  }

  static DatabaseConfig migrated(EmbeddedPostgresServer server, String name) throws Exception {
    DatabaseConfig database = new DatabaseConfig(server.jdbcUrl(name));
    SchemaMigrations.migrate(database);
    return database;
  }

  private PipelineRun ingest(
      String name, Path input, DatabaseConfig database, String runId, String... flags)
      throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "ingest",
                "--input=" + input,
                "--databaseUrl=" + database.jdbcUrl(),
                "--runId=" + runId));
    arguments.addAll(List.of(flags));
    List<String> command = CliCommand.of(jobJar, List.of("-Xmx2g"), arguments);
    MeasuredProcess.Result process;
    StoreTimeline timeline = StoreTimeline.start(database, runId);
    try (timeline) {
      process = MeasuredProcess.run(command, root, RUN_LIMIT);
    }
    PipelineRun run = PipelineRun.of(process, database, runId);
    out.printf(
        Locale.ROOT,
        "  %-34s %8.1f s   pipeline %.1f s · %d pages · %d chunks embedded"
            + " · %.1f chunks/s · %.1f pages/s · peak RSS %.0f MiB · CPU %.1f s%n",
        name,
        run.process().wallSeconds(),
        run.pipelineSeconds(),
        run.pages(),
        run.chunksEmbedded(),
        run.chunksPerSecond(),
        run.pagesPerSecond(),
        run.process().peakRssMiB(),
        run.process().cpuSeconds());
    out.printf("  %-34s %s%n", "", timeline.describe(run.process().wallSeconds()));
    return run;
  }

  private MeasuredProcess.Result peer(Path corpus) throws Exception {
    String classPath = System.getProperty("java.class.path");
    MeasuredProcess.Result peer =
        MeasuredProcess.run(
            List.of(
                javaCommand(),
                "-Xmx2g",
                "-cp",
                classPath,
                LangChainPeer.class.getName(),
                corpus.toString()),
            root,
            RUN_LIMIT);
    String summary =
        peer.output()
            .lines()
            .filter(line -> line.startsWith("peer:"))
            .reduce((a, b) -> b)
            .orElseThrow(
                () -> new IllegalStateException("the LangChain4j peer failed:\n" + peer.output()));
    out.printf(
        "  %-34s %8.1f s   %s · peak RSS %.0f MiB · CPU %.1f s%n",
        "LangChain4j EmbeddingStoreIngestor",
        peer.wallSeconds(),
        summary,
        peer.peakRssMiB(),
        peer.cpuSeconds());
    return peer;
  }

  private void row(String name, Rate rate, String unit) {
    out.printf(
        Locale.ROOT,
        "  %-34s %8.1f %s/s   (%d in %.2f s)%n",
        name,
        rate.perSecond(),
        unit,
        rate.items(),
        rate.seconds());
  }

  private void ratio(String name, double value, String meaning) {
    out.printf(Locale.ROOT, "%s %.3f   # %s%n", name, value, meaning);
  }

  private Path corpus() throws IOException {
    if (options.getCorpus() != null) {
      return Path.of(options.getCorpus()).toAbsolutePath().normalize();
    }
    Path generated = benchDir.resolve("manuals");
    SampleCorpus.writeManuals(generated, GENERATED_MANUALS, GENERATED_PAGES);
    return generated;
  }

  /** The first third of the corpus's PDFs, copied: the second size the memory figure needs. */
  private Path thirdOf(Path corpus) throws IOException {
    Path third = benchDir.resolve("third-of-" + corpus.getFileName());
    Files.createDirectories(third);
    List<Path> files = pdfFiles(corpus);
    for (Path file : files.subList(0, files.size() / 3)) {
      Files.copy(file, third.resolve(file.getFileName()));
    }
    return third;
  }

  /**
   * The big-folder measurement: the embedding model alone on the source corpus's chunks (P1's
   * denominator), then the whole big folder and a third of it, each a {@code sluice ingest} of its
   * own with how its stored documents grew.
   */
  private void runBig() throws Exception {
    Path source = options.getCorpus() == null ? null : Path.of(options.getCorpus());
    BigCorpus.Folder big =
        BigCorpus.assemble(source, benchDir.resolve("big"), BIG_FILES, BIG_PAGES);
    Path third = thirdOf(big.path());
    List<SourceDocument> sample = pdfs(source == null ? third : source);
    out.printf(
        "sluice bench --bigCorpus · %s · %d PDFs, %d pages, copies of %s%n",
        Machine.describe(),
        big.files(),
        big.pages(),
        source == null ? "generated manuals" : source);
    IngestOptions defaults = PipelineOptionsFactory.create().as(IngestOptions.class);
    ChunkingSettings chunking = ChunkingSettings.defaults(EmbeddingModels.spec(defaults));
    out.println("\nstage limits (this JVM, on " + sample.size() + " of the PDFs)");
    StageLimits.Result stages = StageLimits.measure(sample, chunking);
    row("embedding alone, " + stages.threads() + " threads", stages.embedding(), "chunks");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
      out.println("\npipeline (sluice ingest, each its own JVM, measured from outside)");
      PipelineRun whole =
          ingest(
              "direct, the big folder",
              big.path(),
              migrated(server, "bench_big"),
              "big",
              COPIES_EMBEDDED);
      PipelineRun oneThird =
          ingest(
              "direct, a third of it",
              third,
              migrated(server, "bench_big_third"),
              "third",
              COPIES_EMBEDDED);
      out.println("\nratios");
      ratio(
          "P1",
          whole.chunksPerSecond() / stages.embedding().perSecond(),
          "end-to-end chunks/s on the big folder ÷ embedding alone (goal ≥ 0.85)");
      ratio(
          "RSS_MIB",
          whole.process().peakRssMiB(),
          "peak RSS of the big folder's run, MiB (goal ≤ 1536, flat; a third of it: "
              + Math.round(oneThird.process().peakRssMiB())
              + ")");
    }
  }

  private static List<Path> pdfFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> file.toString().endsWith(".pdf")).sorted().toList();
    }
  }

  private static List<SourceDocument> pdfs(Path folder) throws IOException {
    List<SourceDocument> documents = new ArrayList<>();
    for (Path file : pdfFiles(folder)) {
      byte[] bytes = Files.readAllBytes(file);
      documents.add(
          new SourceDocument(
              new Source(file.toUri().toString(), Keys.docId(bytes), bytes.length), bytes));
    }
    return documents;
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
