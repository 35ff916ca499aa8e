package io.sluice.transforms.legacy;

import io.sluice.transforms.keys.Keys;
import java.util.Arrays;
import java.util.List;

/**
 * The legacy tool's SQLite tables and how each maps into the unified schema. The README's mapping
 * table describes the same rules for people.
 */
public final class LegacyLayouts {
  static final String WORKFLOW_FILE = "ragonometrics_workflow_state.sqlite";

  public static final LegacyLayout WORKFLOW_RUNS =
      new LegacyLayout(
          WORKFLOW_FILE,
          "workflow_runs",
          false,
          List.of("run_id"),
          List.of("run_id", "created_at", "status", "papers_dir", "config_hash", "metadata_json"),
          null,
          false,
          TargetTables.RUN_RECORDS,
          row ->
              rows(
                  TargetTables.RUN_RECORDS,
                  row.required("run_id"),
                  "run",
                  "",
                  "main",
                  row.text("status"),
                  row.time("created_at"),
                  null,
                  row.json("metadata_json"),
                  null,
                  fieldsOf(row, "papers_dir", "config_hash"),
                  null));

  public static final LegacyLayout WORKFLOW_STEPS =
      new LegacyLayout(
          WORKFLOW_FILE,
          "workflow_steps",
          false,
          List.of("run_id", "step"),
          List.of("run_id", "step", "status", "started_at", "finished_at", "output_json"),
          null,
          false,
          TargetTables.RUN_RECORDS,
          row ->
              rows(
                  TargetTables.RUN_RECORDS,
                  row.required("run_id"),
                  "step",
                  row.required("step"),
                  "main",
                  row.text("status"),
                  row.time("started_at"),
                  row.time("finished_at"),
                  null,
                  row.json("output_json"),
                  "{}",
                  null));

  public static final LegacyLayout QUERY_CACHE =
      new LegacyLayout(
          "ragonometrics_query_cache.sqlite",
          "query_cache",
          false,
          List.of("cache_key"),
          List.of(
              "cache_key", "query", "paper_path", "model", "context_hash", "answer", "created_at"),
          null,
          false,
          TargetTables.QUERY_CACHE,
          row ->
              rows(
                  TargetTables.QUERY_CACHE,
                  row.required("cache_key"),
                  row.text("query"),
                  row.text("paper_path"),
                  row.text("model"),
                  row.text("context_hash"),
                  row.text("answer"),
                  row.time("created_at")));

  /** Append-only, keyed by an autoincrement id: an incremental run reads ids past the last. */
  public static final LegacyLayout TOKEN_USAGE =
      new LegacyLayout(
          "ragonometrics_token_usage.sqlite",
          "token_usage",
          false,
          List.of("id"),
          List.of(
              "id",
              "created_at",
              "model",
              "operation",
              "input_tokens",
              "output_tokens",
              "total_tokens",
              "session_id",
              "request_id",
              "meta"),
          "id",
          false,
          TargetTables.TOKEN_USAGE,
          row -> {
            String id = row.integer("id");
            if (id == null) {
              throw new UnmappableValueException("id", "is missing", "NULL");
            }
            return rows(
                TargetTables.TOKEN_USAGE,
                Keys.sha256Hex(row.source() + "|" + id),
                id,
                row.time("created_at"),
                row.text("model"),
                row.text("operation"),
                row.integer("input_tokens"),
                row.integer("output_tokens"),
                row.integer("total_tokens"),
                row.text("session_id"),
                row.text("request_id"),
                row.json("meta"));
          });

  public static final LegacyLayout OPENALEX_CACHE =
      workCache(
          "ragonometrics_openalex.sqlite", "openalex_cache", false, TargetTables.OPENALEX_CACHE);

  public static final LegacyLayout SEMANTIC_SCHOLAR_CACHE =
      workCache(
          "ragonometrics_semantic_scholar.sqlite",
          "semantic_scholar_cache",
          true,
          TargetTables.SEMANTIC_SCHOLAR_CACHE);

  /** A refreshed cache entry gets a new fetched_at, so the cursor finds updates too. */
  public static final LegacyLayout CITEC_CACHE =
      new LegacyLayout(
          "ragonometrics_citec.sqlite",
          "citec_cache",
          false,
          List.of("cache_key"),
          List.of("cache_key", "repec_handle", "response", "fetched_at"),
          "fetched_at",
          true,
          TargetTables.CITEC_CACHE,
          row ->
              rows(
                  TargetTables.CITEC_CACHE,
                  row.required("cache_key"),
                  row.text("repec_handle"),
                  row.json("response"),
                  row.time("fetched_at")));

  public static final LegacyLayout VECTORS =
      new LegacyLayout(
          "vectors_meta.sqlite",
          "vectors",
          true,
          List.of("id"),
          List.of(
              "id",
              "text",
              "page",
              "start_word",
              "end_word",
              "doc_id",
              "pipeline_run_id",
              "created_at"),
          "id",
          false,
          TargetTables.LEGACY_CHUNKS,
          row -> {
            String id = row.integer("id");
            if (id == null) {
              throw new UnmappableValueException("id", "is missing", "NULL");
            }
            return rows(
                TargetTables.LEGACY_CHUNKS,
                "legacy-" + id,
                row.text("text"),
                row.integer("page"),
                row.integer("start_word"),
                row.integer("end_word"),
                row.text("doc_id"),
                row.text("pipeline_run_id"),
                row.time("created_at"));
          });

  public static final LegacyLayout CITATIONS =
      new LegacyLayout(
          "doi_network.sqlite",
          "citations",
          true,
          List.of("source_doi", "target_doi"),
          List.of("source_doi", "target_doi"),
          null,
          false,
          TargetTables.CITATIONS,
          row ->
              rows(TargetTables.CITATIONS, row.required("source_doi"), row.required("target_doi")));

  public static final List<LegacyLayout> ALL =
      List.of(
          WORKFLOW_RUNS,
          WORKFLOW_STEPS,
          QUERY_CACHE,
          TOKEN_USAGE,
          OPENALEX_CACHE,
          CITEC_CACHE,
          SEMANTIC_SCHOLAR_CACHE,
          VECTORS,
          CITATIONS);

  private LegacyLayouts() {}

  private static LegacyLayout workCache(
      String file, String table, boolean optional, TargetTable target) {
    return new LegacyLayout(
        file,
        table,
        optional,
        List.of("cache_key"),
        List.of("cache_key", "work_id", "query", "response", "fetched_at"),
        "fetched_at",
        true,
        target,
        row ->
            rows(
                target,
                row.required("cache_key"),
                row.text("work_id"),
                row.text("query"),
                row.json("response"),
                row.time("fetched_at")));
  }

  private static List<TargetRow> rows(TargetTable table, String... values) {
    return List.of(new TargetRow(table.name(), Arrays.asList(values)));
  }

  /** A JSON object of the row's values of these columns, for a payload column. */
  private static String fieldsOf(LegacyRow row, String... columns) {
    var object = LegacyValues.newObject();
    for (String column : columns) {
      object.put(column, row.text(column));
    }
    return LegacyValues.canonical(object);
  }
}
