-- sluice unified schema, version 2: the targets of the SQLite backfill (sluice backfill).
-- Every backfilled row names the legacy store it came from in "source" ("<file>#<table>", or the
-- report's path under --reportsDir), so parity can be proven per source; rows sluice writes itself
-- leave it NULL.

-- Legacy workflow state and JSON reports become run records beside sluice's own runs.
ALTER TABLE workflow.run_records
    ADD COLUMN metadata       jsonb,
    ADD COLUMN output         jsonb,
    -- SHA-256 of the canonical payload (sorted keys, no spaces) of a backfilled report.
    ADD COLUMN payload_sha256 text,
    ADD COLUMN source         text;

CREATE TABLE retrieval.query_cache (
    cache_key     text        PRIMARY KEY,
    query         text,
    paper_path    text,
    model         text,
    context_hash  text,
    answer        text,
    created_at    timestamptz,
    source        text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The legacy table had no natural key: usage_key is the SHA-256 of the row's source (its file's
-- path under --sqliteDir, the table) and its id, so a re-run never doubles a row and rows of equal
-- content stay distinct.
CREATE TABLE observability.token_usage (
    usage_key     text        PRIMARY KEY,
    legacy_id     bigint      NOT NULL,
    created_at    timestamptz,
    model         text,
    operation     text,
    input_tokens  bigint,
    output_tokens bigint,
    total_tokens  bigint,
    session_id    text,
    request_id    text,
    meta          jsonb,
    source        text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX token_usage_created ON observability.token_usage (created_at);

CREATE TABLE enrichment.openalex_cache (
    cache_key     text        PRIMARY KEY,
    work_id       text,
    query         text,
    response      jsonb,
    fetched_at    timestamptz,
    source        text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The Semantic Scholar cache has the OpenAlex cache's shape.
CREATE TABLE enrichment.semantic_scholar_cache
    (LIKE enrichment.openalex_cache INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);

CREATE TABLE enrichment.citec_cache (
    cache_key     text        PRIMARY KEY,
    repec_handle  text,
    response      jsonb,
    fetched_at    timestamptz,
    source        text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A citation is a fact about two DOIs: the pair is its key, so a duplicated legacy row is one edge.
CREATE TABLE enrichment.citations (
    source_doi    text        NOT NULL,
    target_doi    text        NOT NULL,
    source        text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_doi, target_doi)
);

-- Chunks of the legacy vector store, kept apart from indexing.chunks: their offsets are words,
-- not UTF-16 positions, and their doc_id is not a content hash, so they cannot meet that table's
-- guarantees. No embeddings are carried over; re-ingesting the PDFs builds sluice's own.
CREATE TABLE indexing.legacy_chunks (
    chunk_id        text        PRIMARY KEY CHECK (chunk_id ~ '^legacy-'),
    text            text,
    page            bigint,
    start_word      bigint,
    end_word        bigint,
    doc_id          text,
    pipeline_run_id text,
    created_at      timestamptz,
    source          text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX legacy_chunks_doc ON indexing.legacy_chunks (doc_id);

-- How far each legacy source has been moved and proven: a scheduled backfill reads a source again
-- only when its fingerprint changed, and then only rows at or past the cursor.
CREATE TABLE workflow.backfill_watermarks (
    source          text        PRIMARY KEY,
    fingerprint     text        NOT NULL,
    cursor_value    text,
    source_rows     bigint      NOT NULL,
    run_id          text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
