-- sluice schema, version 9: the build history of each index version.
--
-- What each removal took away (a document whose source now has other bytes, or one pruned), written
-- in the transaction that removes it. Appended, never updated: writers running at once share no row.
CREATE TABLE indexing.document_removals (
    doc_id      text        NOT NULL,
    run_id      text        NOT NULL,
    chunks      bigint      NOT NULL CHECK (chunks >= 0),
    vectors     bigint      NOT NULL CHECK (vectors >= 0),
    removed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_removals_run ON indexing.document_removals (run_id);

-- One row per ingest run, for the index version it wrote: started when the run starts, its counts
-- filled in when it ends (from the rows that carry its run_id, through the indexes of version 8).
-- No foreign key to index_versions: a run that fails before its first write has no version row.
CREATE TABLE indexing.pipeline_runs (
    run_id             text        PRIMARY KEY,
    index_version      text        NOT NULL,
    status             text        NOT NULL,
    started_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    documents_added    bigint,
    chunks_added       bigint,
    vectors_added      bigint,
    documents_removed  bigint,
    chunks_removed     bigint,
    vectors_removed    bigint
);
CREATE INDEX pipeline_runs_version ON indexing.pipeline_runs (index_version, started_at);
