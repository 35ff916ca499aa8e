-- sluice schema, version 8: what the progress line (every 2-10 s of a run) and sluice status count
-- by run, found through indexes instead of scans of tables that reach ten million rows: chunks and
-- vectors by the run that wrote them, stages by run, stage and status (a superset of the index on
-- run alone, which goes), and stages by stage and status for the ledger's summary.
CREATE INDEX chunks_run ON indexing.chunks (run_id);
CREATE INDEX vectors_run ON indexing.vectors (run_id);
CREATE INDEX document_stages_run_stage_status
    ON workflow.document_stages (run_id, stage, status);
DROP INDEX workflow.document_stages_run;
CREATE INDEX document_stages_stage_status ON workflow.document_stages (stage, status);
-- sluice status --doc: a document's failures by doc_id, and sources and failures by a URI or the
-- literal prefix of a glob (text_pattern_ops: LIKE 'prefix%' under any collation).
CREATE INDEX request_failures_doc ON observability.request_failures (doc_id);
CREATE INDEX request_failures_source ON observability.request_failures
    (source_uri text_pattern_ops);
CREATE INDEX sources_uri_pattern ON ingestion.sources (source_uri text_pattern_ops);
