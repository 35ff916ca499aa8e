package io.sluice.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipelines.ingest.ArangoSettings;
import io.sluice.pipelines.ingest.IngestOptions;
import io.sluice.pipelines.ingest.IngestPipeline;
import io.sluice.pipelines.ingest.S3Settings;
import io.sluice.pipelines.ingest.StoreSettings;
import io.sluice.samples.EmbeddedPostgresServer;
import io.sluice.sinks.arango.ArangoHealth;
import io.sluice.sinks.core.Health;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.PostgresHealth;
import io.sluice.transforms.embed.EndpointEmbedder;
import io.sluice.transforms.embed.EndpointSpec;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.SentenceEmbedder;
import io.sluice.transforms.read.InputPatterns;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code sluice health}: with the flags an ingest would get, one line per dependency they name
 * (PostgreSQL always, ArangoDB, each S3 input, the Flink cluster, the embedding model or endpoint),
 * each with its verdict and the reason; {@code --json} for the same as one JSON object. Exit 0 when
 * every one is fine, 1 when any is failing. It changes nothing: no migration, no extension, no
 * database created.
 */
final class HealthCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The flags of {@code sluice health}: an ingest's, and the output's form. */
  public interface HealthOptions extends IngestOptions {
    @Description("One JSON object with every check and its facts instead of lines.")
    @Default.Boolean(false)
    boolean getJson();

    void setJson(boolean value);
  }

  private HealthCommand() {}

  static int run(HealthOptions options, PrintStream out, PrintStream log) throws IOException {
    S3Settings.apply(options);
    FileSystems.setDefaultPipelineOptions(options);
    List<Health> checks = new ArrayList<>();
    checks.add(postgres(options, log));
    ArangoSettings.from(options).map(ArangoHealth::check).ifPresent(checks::add);
    for (String input : options.getInput() == null ? List.<String>of() : options.getInput()) {
      if (input.startsWith("s3://")) {
        checks.add(s3(input));
      }
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (FlinkRunner.class.equals(options.getRunner())
        && flink.getFlinkMaster() != null
        && !flink.getFlinkMaster().startsWith("[")) {
      checks.add(FlinkHealth.check(flink.getFlinkMaster(), Math.max(1, flink.getParallelism())));
    }
    checks.add(embedding(options));

    boolean healthy = checks.stream().allMatch(Health::ok);
    if (options.getJson()) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("healthy", healthy);
      report.put("checks", checks);
      out.println(JSON.writeValueAsString(report));
    } else {
      for (Health check : checks) {
        out.printf(
            "%-7s  %-18s  %s%n", check.ok() ? "ok" : "FAILING", check.dependency(), check.reason());
      }
    }
    return healthy ? 0 : 1;
  }

  /** The database --databaseUrl names, or the embedded one the other commands would start. */
  private static Health postgres(HealthOptions options, PrintStream log) throws IOException {
    if (options.getDatabaseUrl() != null) {
      return PostgresHealth.check(
          new DatabaseConfig(options.getDatabaseUrl())
              .withLimits(StoreSettings.connectionLimits(options)));
    }
    Path data = Path.of(options.getWorkDir(), "postgres").toAbsolutePath();
    log.println("sluice: no --databaseUrl; checking the embedded PostgreSQL in " + data);
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
      return PostgresHealth.check(
          new DatabaseConfig(server.jdbcUrl(), StoreSettings.connectionLimits(options)));
    }
  }

  /** Listing the input as the ingest would: credentials, bucket and endpoint in one request. */
  private static Health s3(String input) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("input", input);
    try {
      MatchResult match =
          FileSystems.match(InputPatterns.toPattern(input), EmptyMatchTreatment.ALLOW_IF_WILDCARD);
      if (match.status() != MatchResult.Status.OK) {
        return Health.failing("s3", InputProblems.describe(input, match), facts);
      }
      int objects = match.metadata().size();
      facts.put("objects", objects);
      return Health.ok("s3", input + ": listable, " + objects + " objects match", facts);
    } catch (IOException | RuntimeException e) {
      return Health.failing("s3", InputProblems.describe(input, e), facts);
    }
  }

  /** The model loads and embeds a text, or the endpoint answers one request. */
  private static Health embedding(HealthOptions options) {
    Map<String, Object> facts = new LinkedHashMap<>();
    Optional<EndpointSpec> endpoint;
    try {
      endpoint = IngestPipeline.endpoint(options);
    } catch (RuntimeException e) {
      return Health.failing("embedding-endpoint", e.getMessage(), facts);
    }
    long started = System.nanoTime();
    if (endpoint.isPresent()) {
      EndpointSpec spec = endpoint.get();
      facts.put("endpoint", spec.url().toString());
      facts.put("model", spec.model());
      facts.put("dimension", spec.dimension());
      try {
        EndpointEmbedder.check(spec);
      } catch (RuntimeException e) {
        return Health.failing("embedding-endpoint", e.getMessage(), facts);
      }
      return Health.ok(
          "embedding-endpoint",
          spec.url()
              + " answers for model "
              + spec.model()
              + " with "
              + spec.dimension()
              + " dimensions"
              + took(started, facts),
          facts);
    }
    try {
      ModelSpec model = IngestPipeline.model(options);
      facts.put("model", model.name());
      facts.put("dimension", model.dimension());
      SentenceEmbedder.acquire(model, 1).close();
      return Health.ok(
          "embedding-model",
          model.name()
              + " loads and embeds, "
              + model.dimension()
              + " dimensions"
              + took(started, facts),
          facts);
    } catch (RuntimeException e) {
      return Health.failing("embedding-model", e.getMessage(), facts);
    }
  }

  private static String took(long startedNanos, Map<String, Object> facts) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    facts.put("seconds", Math.round(seconds * 1000) / 1000.0);
    return String.format(java.util.Locale.ROOT, " (%.1f s)", seconds);
  }
}
