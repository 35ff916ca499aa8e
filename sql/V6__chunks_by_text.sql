-- sluice schema, version 6: chunks found by the hash of their text, so that an ingest can take the
-- vector a text already has in its index version instead of embedding it again (an edited
-- document re-embeds only its changed chunks).
CREATE INDEX chunks_text_sha256 ON indexing.chunks (text_sha256);
