package io.sluice.bench;

import io.sluice.transforms.chunk.ChunkingSettings;
import io.sluice.transforms.chunk.TokenChunker;
import io.sluice.transforms.embed.SentenceEmbedder;
import io.sluice.transforms.extract.ExtractionException;
import io.sluice.transforms.extract.ExtractionSettings;
import io.sluice.transforms.extract.PdfTextExtractor;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.SourceDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * Each stage alone, in this JVM, on the corpus: PDFBox extraction on one thread (what one parser
 * process does), the chunker, and the embedding model on the exact chunks the pipeline produces, in
 * its best configuration (every chunk handed to the inference pool at once, one thread per core).
 * Extraction runs twice and is timed warm; the model is warmed on the first chunks.
 */
final class StageLimits {
  private static final int WARM_UP_CHUNKS = 200;

  record Result(
      Rate extractionPages,
      Rate chunking,
      Rate embedding,
      int threads,
      List<DocumentRecord> embedded) {}

  private StageLimits() {}

  static Result measure(List<SourceDocument> sources, ChunkingSettings chunking) {
    PdfTextExtractor extractor = new PdfTextExtractor(ExtractionSettings.defaults());
    extractAll(extractor, sources);
    long start = System.nanoTime();
    List<DocumentRecord> extracted = extractAll(extractor, sources);
    Rate extraction =
        Rate.since(
            extracted.stream().mapToLong(document -> document.metadata().pages()).sum(), start);

    TokenChunker chunker = new TokenChunker(chunking);
    start = System.nanoTime();
    List<DocumentRecord> chunked = new ArrayList<>();
    for (DocumentRecord document : extracted) {
      chunked.add(
          document.withChunks(chunker.chunk(document.source().docId(), document.pageTexts())));
    }
    List<String> texts =
        chunked.stream().flatMap(document -> document.chunks().stream().map(Chunk::text)).toList();
    Rate chunkRate = Rate.since(texts.size(), start);

    int threads = Runtime.getRuntime().availableProcessors();
    List<float[]> vectors;
    Rate embedding;
    try (SentenceEmbedder embedder = SentenceEmbedder.acquire(chunking.model(), threads)) {
      embedder.embedAll(texts.subList(0, Math.min(WARM_UP_CHUNKS, texts.size())));
      start = System.nanoTime();
      vectors = embedder.embedAll(texts);
      embedding = Rate.since(vectors.size(), start);
    }

    List<DocumentRecord> embedded = new ArrayList<>();
    int next = 0;
    for (DocumentRecord document : chunked) {
      List<Chunk> withVectors = new ArrayList<>();
      for (Chunk chunk : document.chunks()) {
        withVectors.add(chunk.withEmbedding(vectors.get(next++)));
      }
      embedded.add(document.withChunks(withVectors));
    }
    return new Result(extraction, chunkRate, embedding, threads, embedded);
  }

  /** The documents with a text layer; the others are not part of any later stage. */
  static List<DocumentRecord> extractAll(PdfTextExtractor extractor, List<SourceDocument> sources) {
    List<DocumentRecord> documents = new ArrayList<>();
    for (SourceDocument source : sources) {
      try {
        DocumentRecord document = extractor.extract(source);
        if (!document.pageTexts().isEmpty()) {
          documents.add(document);
        }
      } catch (ExtractionException refused) {
        // Encrypted, corrupt, not a PDF: the pipeline records it and goes on; so do we.
      }
    }
    return documents;
  }
}
