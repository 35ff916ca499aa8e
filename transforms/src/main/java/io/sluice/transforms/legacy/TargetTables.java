package io.sluice.transforms.legacy;

import static io.sluice.transforms.legacy.TargetTable.of;
import static io.sluice.transforms.legacy.TargetTable.text;

import io.sluice.transforms.legacy.TargetTable.Column;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The backfill's target tables, as migration {@code V2__legacy_backfill.sql} creates them. */
public final class TargetTables {
  public static final TargetTable RUN_RECORDS =
      new TargetTable(
          "workflow.run_records",
          List.of(text("run_id"), text("record_kind"), text("step"), text("record_key")),
          List.of(
              text("status"),
              of("started_at", ColumnType.TIMESTAMPTZ),
              of("finished_at", ColumnType.TIMESTAMPTZ),
              of("metadata", ColumnType.JSONB),
              of("output", ColumnType.JSONB),
              of("payload", ColumnType.JSONB),
              text("payload_sha256")));

  public static final TargetTable QUERY_CACHE =
      new TargetTable(
          "retrieval.query_cache",
          List.of(text("cache_key")),
          List.of(
              text("query"),
              text("paper_path"),
              text("model"),
              text("context_hash"),
              text("answer"),
              of("created_at", ColumnType.TIMESTAMPTZ)));

  public static final TargetTable TOKEN_USAGE =
      new TargetTable(
          "observability.token_usage",
          List.of(text("usage_key")),
          List.of(
              of("legacy_id", ColumnType.BIGINT),
              of("created_at", ColumnType.TIMESTAMPTZ),
              text("model"),
              text("operation"),
              of("input_tokens", ColumnType.BIGINT),
              of("output_tokens", ColumnType.BIGINT),
              of("total_tokens", ColumnType.BIGINT),
              text("session_id"),
              text("request_id"),
              of("meta", ColumnType.JSONB)),
          "created_at");

  public static final TargetTable OPENALEX_CACHE = workCache("enrichment.openalex_cache");

  public static final TargetTable SEMANTIC_SCHOLAR_CACHE =
      workCache("enrichment.semantic_scholar_cache");

  public static final TargetTable CITEC_CACHE =
      new TargetTable(
          "enrichment.citec_cache",
          List.of(text("cache_key")),
          List.of(
              text("repec_handle"),
              of("response", ColumnType.JSONB),
              of("fetched_at", ColumnType.TIMESTAMPTZ)));

  public static final TargetTable CITATIONS =
      new TargetTable(
          "enrichment.citations", List.of(text("source_doi"), text("target_doi")), List.of());

  public static final TargetTable LEGACY_CHUNKS =
      new TargetTable(
          "indexing.legacy_chunks",
          List.of(text("chunk_id")),
          List.of(
              text("text"),
              of("page", ColumnType.BIGINT),
              of("start_word", ColumnType.BIGINT),
              of("end_word", ColumnType.BIGINT),
              text("doc_id"),
              text("pipeline_run_id"),
              of("created_at", ColumnType.TIMESTAMPTZ)));

  public static final List<TargetTable> ALL =
      List.of(
          RUN_RECORDS,
          QUERY_CACHE,
          TOKEN_USAGE,
          OPENALEX_CACHE,
          SEMANTIC_SCHOLAR_CACHE,
          CITEC_CACHE,
          CITATIONS,
          LEGACY_CHUNKS);

  private static final Map<String, TargetTable> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(TargetTable::name, Function.identity()));

  private TargetTables() {}

  public static TargetTable named(String name) {
    TargetTable table = BY_NAME.get(name);
    if (table == null) {
      throw new IllegalArgumentException("no backfill target table " + name);
    }
    return table;
  }

  /** The OpenAlex and Semantic Scholar caches share one shape. */
  private static TargetTable workCache(String name) {
    List<Column> values =
        List.of(
            text("work_id"),
            text("query"),
            of("response", ColumnType.JSONB),
            of("fetched_at", ColumnType.TIMESTAMPTZ));
    return new TargetTable(name, List.of(text("cache_key")), values);
  }
}
