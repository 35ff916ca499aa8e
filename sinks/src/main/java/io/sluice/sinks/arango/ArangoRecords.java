package io.sluice.sinks.arango;

import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentMetadata;
import io.sluice.transforms.model.DocumentRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document as ArangoDB rows: chunk vertices, {@code has_chunk} and {@code next_chunk} edges, and
 * the document vertex. Every {@code _key} is derived from content, edges' from their ends and kind,
 * so a replay writes the same keys again and can never add a second edge.
 */
final class ArangoRecords {
  private ArangoRecords() {}

  static List<Map<String, Object>> chunks(
      DocumentRecord document, String indexVersion, String model) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Chunk chunk : document.chunks()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("_key", chunk.chunkId());
      row.put("doc_id", document.source().docId());
      row.put("page", chunk.page());
      row.put("ordinal", chunk.ordinal());
      row.put("char_start", chunk.charStart());
      row.put("char_end", chunk.charEnd());
      row.put("text", chunk.text());
      row.put("embedding", chunk.embedding());
      row.put("model", model);
      row.put("pipeline_run_id", indexVersion);
      rows.add(row);
    }
    return rows;
  }

  static List<Map<String, Object>> hasChunkEdges(DocumentRecord document) {
    String docId = document.source().docId();
    String from = ArangoGraph.DOCUMENTS + "/" + docId;
    return document.chunks().stream()
        .map(
            chunk ->
                edge(
                    ArangoGraph.HAS_CHUNK, from, ArangoGraph.CHUNKS + "/" + chunk.chunkId(), docId))
        .toList();
  }

  /** The source's row: its URI and the document it holds now. */
  static Map<String, Object> source(DocumentRecord document) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("_key", Keys.sha256Hex(document.source().uri()).substring(0, 40));
    row.put("uri", document.source().uri());
    row.put("doc_id", document.source().docId());
    return row;
  }

  static List<Map<String, Object>> nextChunkEdges(DocumentRecord document) {
    List<Map<String, Object>> edges = new ArrayList<>();
    List<Chunk> chunks = document.chunks();
    for (int i = 1; i < chunks.size(); i++) {
      edges.add(
          edge(
              ArangoGraph.NEXT_CHUNK,
              ArangoGraph.CHUNKS + "/" + chunks.get(i - 1).chunkId(),
              ArangoGraph.CHUNKS + "/" + chunks.get(i).chunkId(),
              document.source().docId()));
    }
    return edges;
  }

  /** The document vertex, written last and marked complete: its chunks are all there. */
  static Map<String, Object> documentVertex(DocumentRecord document, String indexVersion) {
    DocumentMetadata metadata = document.metadata();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("_key", document.source().docId());
    row.put("pages", metadata.pages());
    row.put("title", metadata.title());
    row.put("author", metadata.author());
    row.put("producer", metadata.producer());
    row.put("created", metadata.created());
    row.put("size_bytes", document.source().sizeBytes());
    row.put("chunk_count", document.chunks().size());
    row.put("status", document.hasText() ? "ok" : "no_text");
    row.put("pipeline_run_id", indexVersion);
    row.put("complete", true);
    return row;
  }

  /** An edge; its doc_id lets a replaced document's edges be found and removed. */
  private static Map<String, Object> edge(String kind, String from, String to, String docId) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("_key", Keys.sha256Hex(kind + "|" + from + "|" + to).substring(0, 40));
    row.put("_from", from);
    row.put("_to", to);
    row.put("doc_id", docId);
    return row;
  }
}
