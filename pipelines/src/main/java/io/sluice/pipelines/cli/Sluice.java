package io.sluice.pipelines.cli;

import io.sluice.pipelines.backfill.BackfillOptions;
import io.sluice.pipelines.ingest.EmbeddingOptions;
import io.sluice.pipelines.ingest.IngestOptions;
import io.sluice.pipelines.ingest.StoreOptions;
import io.sluice.sinks.postgres.RunLedger;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.ModelFiles;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.FileStagingOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.MDC;

/**
 * The command line: {@code sluice ingest|backfill|checksum|status|… [--flag=value …]}. Flags follow
 * Beam's PipelineOptions, so runner flags ({@code --runner=FlinkRunner}) pass straight through.
 */
public final class Sluice {
  private static final String USAGE =
      """
      usage: sluice <command> [--flag=value …]
        ingest    ingest PDFs and ZIP archives into PostgreSQL (--input=…, --databaseUrl=…)
        backfill  move legacy SQLite stores and JSON reports into PostgreSQL, prove parity
                  (--sqliteDir=…, --reportsDir=…, --full, --verify)
        checksum  print a deterministic digest per table of the stored content
        status    list recent runs, or one run's report with --run=<id>
        query     the chunks nearest to a question: sluice query "text" [--k=10] [--json]
                  [--explain] [--source=glob] [--indexVersion=…]; --list lists the versions
        index     --build: an HNSW index and a view per index version, where pgvector is
                  (an ingest builds them too)
        health    with an ingest's flags: PostgreSQL, ArangoDB, S3, Flink and the embedding
                  model, a verdict and a reason each (--json); exit 1 when any is failing
        retention remove telemetry older than --olderThan=90d or --before=YYYY-MM-DD
                  (--tables=observability.token_usage: backfilled rows too; --dryRun)
      'sluice <command> --help' lists a command's flags.""";

  /** The flags of {@code sluice status}. */
  public interface StatusOptions extends StoreOptions {
    @Description("Show this run's report instead of the list of recent runs.")
    String getRun();

    void setRun(String value);

    @Description(
        "A document claimed (in_progress) longer ago than this is reported as stale: the"
            + " run that claimed it stopped without finishing it, and the next ingest redoes it.")
    @Default.Integer(30)
    int getStaleAfterMinutes();

    void setStaleAfterMinutes(int value);

    @Description(
        "Every stage of the documents named: a doc_id, a source URI or path, or a glob over"
            + " source URIs (* and ?); at most 20 documents.")
    String getDoc();

    void setDoc(String value);

    @Description(
        "Also count chunks without their document and vectors without their chunk or index"
            + " version: anti-joins over both tables, seconds at ten million rows.")
    @Default.Boolean(false)
    boolean getIntegrity();

    void setIntegrity(boolean value);

    @Description(
        "Every index version: its model, chunking, pgvector index and build time, and what its"
            + " latest runs added and removed.")
    @Default.Boolean(false)
    boolean getIndexVersions();

    void setIndexVersions(boolean value);

    @Description("With --doc: one JSON object per document instead of the table.")
    @Default.Boolean(false)
    boolean getJson();

    void setJson(boolean value);
  }

  private Sluice() {}

  public static void main(String[] args) {
    Logging.inheritContextInNewThreads();
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream log) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    List<String> flags = Arrays.asList(args).subList(1, args.length);
    if (flags.contains("--help")) {
      Class<? extends PipelineOptions> type =
          switch (args[0]) {
            case "ingest" -> IngestOptions.class;
            case "status" -> StatusOptions.class;
            case "backfill" -> BackfillOptions.class;
            case "query" -> QueryCommand.QueryOptions.class;
            case "index" -> IndexCommand.IndexOptions.class;
            case "health" -> HealthCommand.HealthOptions.class;
            case "retention" -> RetentionCommand.RetentionOptions.class;
            default -> StoreOptions.class;
          };
      PipelineOptionsFactory.printHelp(out, type);
      return 0;
    }
    try {
      switch (args[0]) {
        case "ingest":
          return IngestCommand.run(
              options(RunnerConfigs.expand(flags), IngestOptions.class), out, log);
        case "backfill":
          return BackfillCommand.run(
              options(RunnerConfigs.expand(flags), BackfillOptions.class), out, log);
        case "health":
          return HealthCommand.run(
              options(RunnerConfigs.expand(flags), HealthCommand.HealthOptions.class), out, log);
        case "checksum":
          try (Store store = Store.open(options(flags, StoreOptions.class), log)) {
            out.print(StoreChecksum.report(StoreChecksum.compute(store.database())));
          }
          return 0;
        case "status":
          StatusOptions status = options(flags, StatusOptions.class);
          try (Store store = Store.open(status, log)) {
            return StatusCommand.print(
                new RunLedger(store.database()), store.database(), status, out);
          }
        case "query":
          // The question is the words that are not flags: sluice query "how do gates work" --k=5
          String question =
              String.join(" ", flags.stream().filter(arg -> !arg.startsWith("--")).toList());
          QueryCommand.QueryOptions query =
              options(
                  flags.stream().filter(arg -> arg.startsWith("--")).toList(),
                  QueryCommand.QueryOptions.class);
          try (Store store = Store.open(query, log)) {
            return QueryCommand.run(question, query, store.database(), out);
          }
        case "index":
          IndexCommand.IndexOptions index = options(flags, IndexCommand.IndexOptions.class);
          try (Store store = Store.open(index, log)) {
            return IndexCommand.run(index, store.database(), out);
          }
        case "retention":
          RetentionCommand.RetentionOptions retention =
              options(flags, RetentionCommand.RetentionOptions.class);
          try (Store store = Store.open(retention, log)) {
            return RetentionCommand.run(retention, store.database(), out, Clock.systemUTC());
          }
        default:
          log.println("sluice: unknown command '" + args[0] + "'\n" + USAGE);
          return 2;
      }
    } catch (IllegalArgumentException e) {
      log.println("sluice: error: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      log.println("sluice: failed: " + rootMessage(e));
      return 1;
    } finally {
      MDC.remove("run_id");
    }
  }

  private static <T extends PipelineOptions> T options(List<String> flags, Class<T> type) {
    PipelineOptionsFactory.register(type);
    // Beam's AWS registrar registers AwsOptions only; the S3 client factory lives in S3Options
    // and must survive the trip to Flink's workers.
    PipelineOptionsFactory.register(S3Options.class);
    T options =
        PipelineOptionsFactory.fromArgs(flags.toArray(String[]::new)).withValidation().as(type);
    StoreOptions store = options.as(StoreOptions.class);
    Logging.configure(
        Logging.Format.named(store.getLogFormat()),
        store.getLogFile() == null ? null : Path.of(store.getLogFile()));
    stageOnlyTheJobJar(options);
    return options;
  }

  /**
   * A cluster gets the job jar alone, and the jar of the catalogue model the job embeds with when
   * that is not the default one (the others stay out of the job jar, which they would double). The
   * CLI's class path also holds what only the client needs (Flink itself, the embedded PostgreSQL),
   * which Beam would otherwise upload with every job.
   */
  private static void stageOnlyTheJobJar(PipelineOptions options) {
    FileStagingOptions staging = options.as(FileStagingOptions.class);
    CodeSource source = Sluice.class.getProtectionDomain().getCodeSource();
    if (staging.getFilesToStage() != null || source == null) {
      return;
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      if (Files.isRegularFile(location)) {
        List<String> staged = new ArrayList<>(List.of(location.toString()));
        catalogueModelJar(options.as(EmbeddingOptions.class))
            .filter(jar -> !jar.equals(location))
            .ifPresent(jar -> staged.add(jar.toString()));
        staging.setFilesToStage(staged);
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the job jar at " + source.getLocation(), e);
    }
  }

  private static Optional<Path> catalogueModelJar(EmbeddingOptions options) {
    String model = options.getEmbeddingModel();
    if (options.getEmbeddingEndpoint() != null
        || model == null
        || !ModelCatalogue.contains(model)) {
      return Optional.empty();
    }
    return ModelFiles.jarOf(ModelCatalogue.named(model).onnx());
  }

  private static String rootMessage(Throwable e) {
    StringBuilder message = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      message.append("\n  caused by: ").append(cause);
    }
    return message.toString();
  }
}
