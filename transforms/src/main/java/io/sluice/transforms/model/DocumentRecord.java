package io.sluice.transforms.model;

import java.util.List;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A document as it moves through extract, chunk and embed. Extraction fills the metadata and the
 * page texts; chunking replaces the page texts by chunks; embedding fills each chunk's vector. A
 * document without chunks after chunking is a {@code no_text} document. Each stage adds when it
 * worked on the document ({@link StageTimes}), for the ledger.
 */
@DefaultCoder(DocumentRecordCoder.class)
public record DocumentRecord(
    Source source,
    DocumentMetadata metadata,
    List<String> pageTexts,
    List<Chunk> chunks,
    StageTimes times) {

  public DocumentRecord {
    pageTexts = List.copyOf(pageTexts);
    chunks = List.copyOf(chunks);
  }

  public DocumentRecord(
      Source source, DocumentMetadata metadata, List<String> pageTexts, List<Chunk> chunks) {
    this(source, metadata, pageTexts, chunks, StageTimes.NONE);
  }

  public static DocumentRecord extracted(
      Source source, DocumentMetadata metadata, List<String> pageTexts) {
    return new DocumentRecord(source, metadata, pageTexts, List.of());
  }

  public DocumentRecord withChunks(List<Chunk> newChunks) {
    return new DocumentRecord(source, metadata, List.of(), newChunks, times);
  }

  /** This document with the time a stage spent on it, from its start to now. */
  public DocumentRecord timed(Stage stage, long startedMillis) {
    return new DocumentRecord(
        source,
        metadata,
        pageTexts,
        chunks,
        times.with(stage, startedMillis, Math.max(startedMillis, System.currentTimeMillis())));
  }

  public boolean hasText() {
    return !chunks.isEmpty();
  }
}
