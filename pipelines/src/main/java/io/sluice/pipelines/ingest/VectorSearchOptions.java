package io.sluice.pipelines.ingest;

import io.sluice.sinks.postgres.HnswSettings;
import io.sluice.sinks.postgres.PgvectorMode;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** How sluice uses pgvector: the flags of {@code ingest}, {@code index} and {@code query}. */
public interface VectorSearchOptions extends StoreOptions {
  @Description(
      "auto: use pgvector where the database has it (creating the extension when allowed), exact"
          + " search otherwise; require: fail without it; off: never touch it.")
  @Default.String("auto")
  String getPgvector();

  void setPgvector(String value);

  @Description("HNSW index: links per node (pgvector's m, 2–100).")
  @Default.Integer(16)
  int getHnswM();

  void setHnswM(int value);

  @Description("HNSW index: candidate list while building (pgvector's ef_construction).")
  @Default.Integer(64)
  int getHnswEfConstruction();

  void setHnswEfConstruction(int value);

  @Description(
      "HNSW search: candidate list per query (pgvector's hnsw.ef_search), raised to --k when"
          + " smaller.")
  @Default.Integer(100)
  int getHnswEfSearch();

  void setHnswEfSearch(int value);

  /** The mode the flag names; an unknown name is a usage error. */
  static PgvectorMode pgvectorMode(VectorSearchOptions options) {
    return PgvectorMode.named(options.getPgvector());
  }

  /** The HNSW settings the flags give, validated. */
  static HnswSettings hnsw(VectorSearchOptions options) {
    return new HnswSettings(
        options.getHnswM(), options.getHnswEfConstruction(), options.getHnswEfSearch());
  }
}
