-- sluice schema, version 3: the ledger records work in progress and quarantines poison documents.

-- A run claims a document ('in_progress') before it extracts it, when the document's row does not
-- exist yet; the claim names the content, not a stored document, so it cannot reference one.
ALTER TABLE workflow.document_stages
    DROP CONSTRAINT document_stages_doc_id_fkey;

-- 'quarantined': failed the same retryable way in too many runs; skipped like a settled document
-- until a run asks for quarantined documents to be retried.
ALTER TABLE workflow.document_stages
    DROP CONSTRAINT document_stages_status_check,
    ADD CONSTRAINT document_stages_status_check CHECK (status IN
        ('pending', 'in_progress', 'completed', 'failed', 'skipped', 'quarantined'));

-- The run whose failure attempts last counted, so a bundle the runner replays within one run is
-- not counted as a second attempt.
ALTER TABLE workflow.document_stages
    ADD COLUMN last_failed_run_id text;

-- Finding stale claims without reading the whole ledger.
CREATE INDEX document_stages_in_progress ON workflow.document_stages (started_at)
    WHERE status = 'in_progress';
