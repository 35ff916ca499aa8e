package io.sluice.bench;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.apache.pdfbox.ApachePdfBoxDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The peer: the same job done the way LangChain4j's documentation shows. The PDFs of a folder
 * parsed by its PDFBox parser, split by its recursive splitter into segments of at most 120 tokens
 * with 16 overlapping (counted by the model's own tokenizer, as sluice counts), embedded by the
 * same quantized all-MiniLM-L6-v2 in process, stored in its in-memory store (no database, so the
 * peer does less than sluice). Prints one line: {@code peer: documents N segments M seconds S}.
 */
public final class LangChainPeer {
  private LangChainPeer() {}

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args[0]);
    long start = System.nanoTime();
    List<Document> documents = new ArrayList<>();
    ApachePdfBoxDocumentParser parser = new ApachePdfBoxDocumentParser();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path pdf : files.filter(path -> path.toString().endsWith(".pdf")).sorted().toList()) {
        try {
          Document document = FileSystemDocumentLoader.loadDocument(pdf, parser);
          // Scanned PDFs have no text, and the splitter refuses blank documents.
          if (document.text() != null && !document.text().isBlank()) {
            documents.add(document);
          }
        } catch (RuntimeException unreadable) {
          // Encrypted or broken files: sluice records them; the peer just goes on.
        }
      }
    }
    DocumentSplitter recursive =
        DocumentSplitters.recursive(120, 16, new HuggingFaceTokenCountEstimator());
    AtomicInteger unsplittable = new AtomicInteger();
    AtomicInteger segments = new AtomicInteger();
    // The recursive splitter throws on some real documents ("text cannot be null or blank" from
    // an inner part); the peer skips those, and says how many, rather than fail the whole job.
    DocumentSplitter splitter =
        document -> {
          try {
            List<TextSegment> split = recursive.split(document);
            segments.addAndGet(split.size());
            return split;
          } catch (IllegalArgumentException blankPart) {
            unsplittable.incrementAndGet();
            return List.of();
          }
        };
    EmbeddingStoreIngestor.builder()
        .documentSplitter(splitter)
        .embeddingModel(new AllMiniLmL6V2QuantizedEmbeddingModel())
        .embeddingStore(new InMemoryEmbeddingStore<TextSegment>())
        .build()
        .ingest(documents);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "peer: documents %d (%d the splitter failed on) segments %d seconds %.2f%n",
        documents.size(), unsplittable.get(), segments.get(), seconds);
  }
}
