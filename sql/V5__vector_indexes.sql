-- sluice schema, version 5: where the database has pgvector, an approximate-nearest-neighbour index
-- per index version, and a view per version that RAG frameworks read.
--
-- Vectors stay real[] in indexing.vectors (binary COPY, the dimension check, exactly-once writes);
-- pgvector indexes the cast expression embedding::vector(n) of one version's rows (a partial HNSW
-- index), and the view shows those rows as LangChain4j's PgVectorEmbeddingStore reads them. Neither
-- can be created here: a migration must also run on a database without the extension. sluice
-- builds both at run time (VectorIndexes) and records each here.

-- The views live in a schema of their own, so a framework pointed at one sees nothing else.
CREATE SCHEMA IF NOT EXISTS search;

CREATE TABLE indexing.vector_indexes (
    pipeline_run_id  text        PRIMARY KEY
                                 REFERENCES indexing.index_versions (pipeline_run_id),
    index_name       text        NOT NULL,
    view_name        text        NOT NULL,
    method           text        NOT NULL CHECK (method IN ('hnsw')),
    distance         text        NOT NULL CHECK (distance IN ('cosine')),
    -- The build parameters, e.g. {"m": 16, "ef_construction": 64}.
    parameters       jsonb       NOT NULL,
    -- Vectors of the version when the index was built; later writes are indexed as they land.
    vectors_indexed  bigint      NOT NULL CHECK (vectors_indexed >= 0),
    build_seconds    double precision NOT NULL CHECK (build_seconds >= 0),
    built_at         timestamptz NOT NULL DEFAULT now()
);
