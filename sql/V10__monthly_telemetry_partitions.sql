-- sluice schema, version 10: the heavy append tables of telemetry in monthly partitions, so that
-- retention drops a month whole instead of deleting it row by row, and a horizon per backfilled
-- table that the backfill honours.
--
-- Months are UTC calendar months. Each table also has a DEFAULT partition, which holds rows whose
-- month has no partition yet and, for token usage, legacy rows without a time.
--
-- observability.add_month_partition(parent, at) makes the partition of at's month, named
-- <table>_YYYY_MM, unless a table of that name exists: it moves that month's rows out of the
-- DEFAULT partition into the new table, then attaches it, holding the DEFAULT partition locked
-- meanwhile so that no row of the month can land there in between. It returns the partition's
-- name, or NULL when it already existed. It runs with the rights of its owner, who owns the tables
-- (attaching a partition takes the table's owner), so a role that may only write them can call it.
CREATE FUNCTION observability.add_month_partition(parent regclass, at timestamptz)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    month_start timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
    from_at timestamptz := month_start AT TIME ZONE 'UTC';
    to_at timestamptz := (month_start + interval '1 month') AT TIME ZONE 'UTC';
    schema_name text;
    table_name text;
    partition_name text;
    key_column text;
    default_partition regclass;
BEGIN
    SELECT n.nspname, c.relname INTO schema_name, table_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
    partition_name := table_name || '_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass(format('%I.%I', schema_name, partition_name)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    SELECT a.attname INTO key_column
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = parent;
    SELECT i.inhrelid::regclass INTO default_partition
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
    BEGIN
        EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                       schema_name, partition_name, parent);
    EXCEPTION WHEN duplicate_table THEN
        -- Another writer made it meanwhile.
        RETURN NULL;
    END;
    IF default_partition IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', default_partition);
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= $1 AND %I < $2 RETURNING *) '
                       'INSERT INTO %I.%I SELECT * FROM moved',
                       default_partition, key_column, key_column, schema_name, partition_name)
            USING from_at, to_at;
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   parent, schema_name, partition_name, from_at, to_at);
    RETURN partition_name;
END $$;

-- Token usage, partitioned by the time of the request. The partition key must be part of every
-- unique constraint, and legacy rows may have no time: the key is (usage_key, created_at) with
-- NULLs equal, so a re-run still conflicts with the row it wrote before.
ALTER TABLE observability.token_usage RENAME TO token_usage_v9;
ALTER TABLE observability.token_usage_v9 DROP CONSTRAINT token_usage_pkey;
DROP INDEX observability.token_usage_created, observability.token_usage_run;

CREATE TABLE observability.token_usage (
    usage_key     text        NOT NULL,
    legacy_id     bigint,
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
    updated_at    timestamptz NOT NULL DEFAULT now(),
    run_id        text,
    CONSTRAINT token_usage_key UNIQUE NULLS NOT DISTINCT (usage_key, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE observability.token_usage_default PARTITION OF observability.token_usage DEFAULT;
CREATE INDEX token_usage_created ON observability.token_usage (created_at);
CREATE INDEX token_usage_run ON observability.token_usage (run_id) WHERE run_id IS NOT NULL;

SELECT observability.add_month_partition('observability.token_usage', month)
FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
      FROM observability.token_usage_v9 WHERE created_at IS NOT NULL
      UNION SELECT now() UNION SELECT now() + interval '1 month') AS months (month);

INSERT INTO observability.token_usage (usage_key, legacy_id, created_at, model, operation,
    input_tokens, output_tokens, total_tokens, session_id, request_id, meta, source, updated_at,
    run_id)
SELECT usage_key, legacy_id, created_at, model, operation, input_tokens, output_tokens,
       total_tokens, session_id, request_id, meta, source, updated_at, run_id
FROM observability.token_usage_v9;
DROP TABLE observability.token_usage_v9;

-- Failures, partitioned by the start of the run that recorded them, so that a run's failures are
-- kept or removed together and a replayed write of one finds the row it wrote before. Rows from
-- before this version take their run's recorded start, else the run's first failure.
ALTER TABLE observability.request_failures RENAME TO request_failures_v9;
ALTER TABLE observability.request_failures_v9 DROP CONSTRAINT request_failures_pkey;
DROP INDEX observability.request_failures_class, observability.request_failures_doc,
    observability.request_failures_source;

CREATE TABLE observability.request_failures (
    run_id          text        NOT NULL,
    source_uri      text        NOT NULL,
    stage           text        NOT NULL,
    doc_id          text,
    error_class     text        NOT NULL,
    retryable       boolean     NOT NULL,
    message         text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    run_started_at  timestamptz NOT NULL,
    PRIMARY KEY (run_id, source_uri, stage, run_started_at)
) PARTITION BY RANGE (run_started_at);
CREATE TABLE observability.request_failures_default
    PARTITION OF observability.request_failures DEFAULT;
CREATE INDEX request_failures_class ON observability.request_failures (error_class);
CREATE INDEX request_failures_doc ON observability.request_failures (doc_id);
CREATE INDEX request_failures_source ON observability.request_failures
    (source_uri text_pattern_ops);

CREATE TEMP TABLE failures_v9 ON COMMIT DROP AS
SELECT f.*, coalesce(r.started_at, min(f.created_at) OVER (PARTITION BY f.run_id)) AS run_started_at
FROM observability.request_failures_v9 f
LEFT JOIN workflow.run_records r
    ON r.run_id = f.run_id AND r.record_kind = 'run' AND r.step = '' AND r.record_key = 'main'
    AND r.source IS NULL AND r.started_at IS NOT NULL;

SELECT observability.add_month_partition('observability.request_failures', month)
FROM (SELECT DISTINCT run_started_at FROM failures_v9
      UNION SELECT now() UNION SELECT now() + interval '1 month') AS months (month);

INSERT INTO observability.request_failures (run_id, source_uri, stage, doc_id, error_class,
    retryable, message, created_at, run_started_at)
SELECT run_id, source_uri, stage, doc_id, error_class, retryable, message, created_at,
       run_started_at
FROM failures_v9;
DROP TABLE observability.request_failures_v9;

-- The retention horizon of each backfilled table with a time: rows older than it were removed on
-- purpose, and no backfill brings them back, --full included. It only ever moves forward. A row
-- per table from the start, so a backfill's batch can hold it (FOR SHARE) against a retention
-- moving it meanwhile.
CREATE TABLE observability.retention_horizons (
    table_name  text        PRIMARY KEY,
    horizon     timestamptz NOT NULL,
    set_at      timestamptz,
    set_by      text
);
INSERT INTO observability.retention_horizons (table_name, horizon)
VALUES ('observability.token_usage', '-infinity');
