package io.sluice.pipelines.cli;

import io.sluice.pipelines.ingest.VectorSearchOptions;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.VectorIndexes;
import java.io.PrintStream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code sluice index --build}: gives every index version with vectors its HNSW index and view,
 * where the database has pgvector. An ingest does the same before and after its run; this is for a
 * database that gained pgvector since, without ingesting anything.
 */
final class IndexCommand {
  /** The flags of {@code sluice index}. */
  public interface IndexOptions extends VectorSearchOptions {
    @Description("Build the missing HNSW indexes and views.")
    @Default.Boolean(false)
    boolean getBuild();

    void setBuild(boolean value);
  }

  private IndexCommand() {}

  static int run(IndexOptions options, DatabaseConfig database, PrintStream out) throws Exception {
    if (!options.getBuild()) {
      throw new IllegalArgumentException(
          "sluice index does one thing: --build (sluice query --list shows the indexes)");
    }
    VectorIndexes.Report report =
        VectorIndexes.ensure(
            database, VectorSearchOptions.pgvectorMode(options), VectorSearchOptions.hnsw(options));
    report.lines().forEach(out::println);
    return report.buildFailed() ? 1 : 0;
  }
}
