package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.transforms.chunk.ChunkingSettings;
import io.sluice.transforms.chunk.TokenChunker;
import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.SentenceEmbedder;
import io.sluice.transforms.extract.ExtractionSettings;
import io.sluice.transforms.extract.PdfTextExtractor;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.SourceDocument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedding side of the bench: each catalogue model alone on the same chunk texts (the default
 * model's chunks of the corpus), with one inference thread per core; and an endpoint's own rate,
 * one client sending the same texts in batches one after another, the peer sluice's ingest through
 * that endpoint is measured against.
 */
final class EmbeddingRates {
  private static final int WARM_UP = 32;

  record ModelRate(ModelSpec model, Rate rate) {}

  private EmbeddingRates() {}

  /** The corpus's chunk texts, as the default chunking cuts them; the first {@code max}. */
  static List<String> texts(List<SourceDocument> sources, int max) {
    TokenChunker chunker =
        new TokenChunker(ChunkingSettings.defaults(ModelCatalogue.ALL_MINILM_L6_V2_Q));
    List<String> texts = new ArrayList<>();
    for (DocumentRecord document :
        StageLimits.extractAll(new PdfTextExtractor(ExtractionSettings.defaults()), sources)) {
      for (Chunk chunk : chunker.chunk(document.source().docId(), document.pageTexts())) {
        if (texts.size() == max) {
          return texts;
        }
        texts.add(chunk.text());
      }
    }
    return texts;
  }

  static List<ModelRate> perModel(List<String> texts) {
    int threads = Runtime.getRuntime().availableProcessors();
    List<ModelRate> rates = new ArrayList<>();
    for (ModelSpec model : ModelCatalogue.models()) {
      try (SentenceEmbedder embedder = SentenceEmbedder.acquire(model, threads)) {
        embedder.embedAll(texts.subList(0, Math.min(WARM_UP, texts.size())));
        long start = System.nanoTime();
        embedder.embedAll(texts);
        rates.add(new ModelRate(model, Rate.since(texts.size(), start)));
      }
    }
    return rates;
  }

  /** One client, batches of {@code batch} texts sent one after another: the endpoint's own rate. */
  static Rate endpointAlone(ModelEndpoint endpoint, List<String> texts, int batch)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpClient client = HttpClient.newHttpClient();
    URI embeddings = URI.create(endpoint.url() + "/embeddings");
    long start = 0;
    for (int round = 0; round < 2; round++) {
      // The first round warms the server and the connection up; the second is timed.
      start = System.nanoTime();
      for (int from = 0; from < texts.size(); from += batch) {
        ObjectNode body = json.createObjectNode().put("model", endpoint.model());
        body.putPOJO("input", texts.subList(from, Math.min(texts.size(), from + batch)));
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(embeddings)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("the endpoint answered " + response.statusCode());
        }
      }
    }
    return Rate.since(texts.size(), start);
  }
}
