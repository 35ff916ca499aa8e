-- sluice schema, version 7: token usage of sluice's own runs beside the backfilled legacy rows.
-- An ingest through an embedding endpoint records one row per answered request, with the run that
-- made it; such a row has no legacy id.
ALTER TABLE observability.token_usage ADD COLUMN run_id text;
ALTER TABLE observability.token_usage ALTER COLUMN legacy_id DROP NOT NULL;
CREATE INDEX token_usage_run ON observability.token_usage (run_id) WHERE run_id IS NOT NULL;
