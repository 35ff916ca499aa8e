-- sluice schema, version 4: the bulk tables (chunks and vectors) lose their foreign keys.
--
-- Each chunk row checked its document, and each vector row its chunk and its index version, with a
-- per-row trigger: an index probe and a KEY SHARE row lock on the parent for every row written.
-- Measured in `sluice bench` (BENCHMARKS.md, issue 14) that was a third of the write time, and the
-- lock on the one index_versions row that every vector of a version references is taken by every
-- concurrent writer, which turns it into a MultiXact shared by all of them.
--
-- The guarantee stays, kept by the only writer of these tables: the sink writes a document's row,
-- chunks and vectors in one transaction under the document's row lock, and DocumentRemoval deletes
-- vectors, then chunks, then the document in one transaction. `sluice status` counts rows that
-- break it (StoreIntegrity), so a hand-made edit that leaves an orphan shows.
ALTER TABLE indexing.chunks
    DROP CONSTRAINT chunks_doc_id_fkey;
ALTER TABLE indexing.vectors
    DROP CONSTRAINT vectors_chunk_id_fkey,
    DROP CONSTRAINT vectors_pipeline_run_id_fkey;
