-- sluice unified schema, version 1.
-- One schema per pipeline stage. Every row can be traced run -> source -> document -> chunk -> vector:
-- sources name their document, chunks their document, vectors their chunk and index version, and
-- each carries the run_id that wrote it.

CREATE SCHEMA IF NOT EXISTS ingestion;
CREATE SCHEMA IF NOT EXISTS indexing;
CREATE SCHEMA IF NOT EXISTS workflow;
CREATE SCHEMA IF NOT EXISTS observability;
-- Filled by the SQLite backfill pipeline.
CREATE SCHEMA IF NOT EXISTS retrieval;
CREATE SCHEMA IF NOT EXISTS enrichment;

-- A document is content-addressed: doc_id is the SHA-256 of its bytes, so the same bytes under two
-- names are one document.
CREATE TABLE ingestion.documents (
    doc_id          text        PRIMARY KEY CHECK (doc_id ~ '^[0-9a-f]{64}$'),
    size_bytes      bigint      NOT NULL CHECK (size_bytes >= 0),
    pages           integer     CHECK (pages >= 0),
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- ok and no_text are outcomes of a readable PDF; the others are failure classes.
    status          text        NOT NULL CHECK (status IN
                        ('ok', 'no_text', 'encrypted', 'corrupt', 'not_pdf', 'too_large', 'timeout',
                         'rejected', 'io_error')),
    error_message   text,
    first_run_id    text        NOT NULL,
    run_id          text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Where a document was found. A ZIP member is named by the archive URI, "!/" and the member path.
CREATE TABLE ingestion.sources (
    source_uri       text        PRIMARY KEY,
    doc_id           text        NOT NULL REFERENCES ingestion.documents (doc_id),
    size_bytes       bigint      NOT NULL,
    first_seen_run_id text       NOT NULL,
    last_seen_run_id text        NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sources_doc_id ON ingestion.sources (doc_id);
CREATE INDEX sources_last_seen ON ingestion.sources (last_seen_run_id);

-- An index version (pipeline_run_id) is the embedding model, its dimension and the chunking
-- parameters; changing any of them builds a new version beside the old one.
CREATE TABLE indexing.index_versions (
    pipeline_run_id  text        PRIMARY KEY,
    embedding_model  text        NOT NULL,
    dimension        integer     NOT NULL CHECK (dimension > 0),
    chunk_size       integer     NOT NULL CHECK (chunk_size > 0),
    chunk_overlap    integer     NOT NULL CHECK (chunk_overlap >= 0),
    chunk_unit       text        NOT NULL,
    across_pages     boolean     NOT NULL,
    parameters       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- chunk_id = SHA-256 of doc_id|page|char_start|char_end|sha256(text); offsets are UTF-16 positions
-- in the document's text (its pages joined by a form feed). A chunk is shared by every index version
-- that chunks the same way; which versions hold it is told by its vectors.
CREATE TABLE indexing.chunks (
    chunk_id        text        PRIMARY KEY CHECK (chunk_id ~ '^[0-9a-f]{64}$'),
    doc_id          text        NOT NULL REFERENCES ingestion.documents (doc_id),
    page            integer     NOT NULL CHECK (page >= 1),
    ordinal         integer     NOT NULL CHECK (ordinal >= 0),
    char_start      integer     NOT NULL CHECK (char_start >= 0),
    char_end        integer     NOT NULL CHECK (char_end > char_start),
    token_count     integer     NOT NULL CHECK (token_count > 0),
    text            text        NOT NULL,
    text_sha256     text        NOT NULL,
    run_id          text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chunks_doc ON indexing.chunks (doc_id, ordinal);

-- real[] because pgvector is not packaged for the Debian release we build on; the dimension is
-- recorded and checked so a vector of the wrong length cannot land.
CREATE TABLE indexing.vectors (
    chunk_id        text        NOT NULL REFERENCES indexing.chunks (chunk_id),
    pipeline_run_id text        NOT NULL REFERENCES indexing.index_versions (pipeline_run_id),
    dimension       integer     NOT NULL,
    embedding       real[]      NOT NULL CHECK (cardinality(embedding) = dimension),
    run_id          text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chunk_id, pipeline_run_id)
);

CREATE TABLE workflow.run_records (
    run_id       text        NOT NULL,
    record_kind  text        NOT NULL,
    step         text        NOT NULL DEFAULT '',
    record_key   text        NOT NULL,
    status       text,
    started_at   timestamptz,
    finished_at  timestamptz,
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, record_kind, step, record_key)
);

-- The per-document ledger. A document whose 'store' stage is completed for an index version, or
-- whose extraction failed in a way no retry can change, is skipped by later runs.
CREATE TABLE workflow.document_stages (
    doc_id          text        NOT NULL REFERENCES ingestion.documents (doc_id),
    pipeline_run_id text        NOT NULL REFERENCES indexing.index_versions (pipeline_run_id),
    stage           text        NOT NULL CHECK (stage IN ('extract', 'chunk', 'embed', 'store')),
    status          text        NOT NULL CHECK (status IN
                        ('pending', 'in_progress', 'completed', 'failed', 'skipped')),
    attempts        integer     NOT NULL DEFAULT 1,
    error_class     text,
    retryable       boolean,
    error_message   text,
    run_id          text        NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    PRIMARY KEY (doc_id, pipeline_run_id, stage)
);
CREATE INDEX document_stages_run ON workflow.document_stages (run_id);

-- The dead-letter table: every classified failure of a run, one row per source and stage.
CREATE TABLE observability.request_failures (
    run_id        text        NOT NULL,
    source_uri    text        NOT NULL,
    stage         text        NOT NULL,
    doc_id        text,
    error_class   text        NOT NULL,
    retryable     boolean     NOT NULL,
    message       text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, source_uri, stage)
);
CREATE INDEX request_failures_class ON observability.request_failures (error_class);
