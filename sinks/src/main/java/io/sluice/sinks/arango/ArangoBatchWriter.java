package io.sluice.sinks.arango;

import com.arangodb.ArangoCursor;
import com.arangodb.ArangoDB;
import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDatabase;
import com.arangodb.entity.DocumentCreateEntity;
import com.arangodb.entity.ErrorEntity;
import com.arangodb.entity.MultiDocumentEntity;
import com.arangodb.model.DocumentCreateOptions;
import com.arangodb.model.OverwriteMode;
import io.sluice.sinks.core.BatchWriter;
import io.sluice.sinks.core.SharedClients;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import io.sluice.transforms.retry.RetryPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Writes a batch of documents to ArangoDB in an order that makes a half-written document impossible
 * to mistake for a whole one: chunks first, then edges, then the document vertices (marked
 * complete), each only for documents whose earlier rows all landed.
 *
 * <p>Writes replace ({@code overwriteMode=replace}), so a replay rewrites the same keys. Errors of
 * a whole request and of single items, which ArangoDB reports inside a successful answer and the
 * driver does not throw for, are classified by {@link ArangoErrors}: transient ones (a 503 the
 * driver gave up on, a timeout, a write-write conflict) are retried under the {@link RetryPolicy};
 * any other fails its document with the error number and message. The client is the JVM's shared
 * one ({@link ArangoClients}).
 */
final class ArangoBatchWriter implements BatchWriter<DocumentRecord> {
  /** Why a document could not be written. */
  private record Refusal(FailureClass failureClass, String reason) {}

  private static final DocumentCreateOptions REPLACE =
      new DocumentCreateOptions().overwriteMode(OverwriteMode.replace).silent(false);
  private static final DocumentCreateOptions REPLACE_RETURNING_OLD =
      new DocumentCreateOptions().overwriteMode(OverwriteMode.replace).returnOld(true);

  @SuppressWarnings("unchecked")
  private static final Class<Map<String, Object>> ROW =
      (Class<Map<String, Object>>) (Class<?>) Map.class;

  private final Counter verticesWritten = Metrics.counter(ArangoWrite.class, "vertices_written");
  private final Counter chunksWritten = Metrics.counter(ArangoWrite.class, "chunks_written");
  private final Counter edgesWritten = Metrics.counter(ArangoWrite.class, "edges_written");
  private final Counter requestsRetried = Metrics.counter(ArangoWrite.class, "requests_retried");
  private final Counter itemsFailed = Metrics.counter(ArangoWrite.class, "items_failed");
  private final Counter documentsRemoved =
      Metrics.counter(ArangoWrite.class, "replaced_documents_removed");
  private final Counter staleLeft = Metrics.counter(ArangoWrite.class, "stale_documents_left");

  private final SharedClients<ArangoConfig, ArangoDB>.Lease client;
  private final ArangoDatabase database;
  private final String indexVersion;
  private final String model;
  private final RetryPolicy retry;

  /** Leases the JVM's client and creates what is missing of the graph. */
  ArangoBatchWriter(ArangoConfig config, String indexVersion, String model, RetryPolicy retry)
      throws InterruptedException {
    this.client = ArangoClients.lease(config);
    this.indexVersion = indexVersion;
    this.model = model;
    this.retry = retry;
    try {
      this.database =
          call(
              "create the graph in " + config.url(),
              () -> ArangoGraph.ensure(client.client(), config));
    } catch (RuntimeException | InterruptedException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private <T> T call(String what, RetryPolicy.Attempt<T, ArangoDBException> request)
      throws InterruptedException {
    return retry.call(
        "ArangoDB: " + what,
        request,
        ArangoDBException.class,
        ArangoErrors::isTransient,
        requestsRetried);
  }

  /** Writes the batch; returns a failure for every document that could not be written whole. */
  @Override
  public Map<Integer, Failure> write(List<DocumentRecord> batch) throws InterruptedException {
    Map<String, Refusal> failed = new LinkedHashMap<>();
    Map<String, DocumentRecord> byDocId = new LinkedHashMap<>();
    batch.forEach(document -> byDocId.putIfAbsent(document.source().docId(), document));

    writeRows(
        ArangoGraph.CHUNKS,
        byDocId.values(),
        document -> ArangoRecords.chunks(document, indexVersion, model),
        failed,
        chunksWritten);
    writeRows(
        ArangoGraph.HAS_CHUNK,
        byDocId.values(),
        ArangoRecords::hasChunkEdges,
        failed,
        edgesWritten);
    writeRows(
        ArangoGraph.NEXT_CHUNK,
        byDocId.values(),
        ArangoRecords::nextChunkEdges,
        failed,
        edgesWritten);
    writeRows(
        ArangoGraph.DOCUMENTS,
        byDocId.values(),
        document -> List.of(ArangoRecords.documentVertex(document, indexVersion)),
        failed,
        verticesWritten);

    removeReplacedDocuments(batch, failed);

    Map<Integer, Failure> failures = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      DocumentRecord document = batch.get(i);
      Refusal refusal = failed.get(document.source().docId());
      if (refusal != null) {
        failures.put(
            i,
            Failure.of(
                document.source(),
                Stage.STORE,
                refusal.failureClass(),
                "cannot store in ArangoDB: " + refusal.reason()));
      }
    }
    return failures;
  }

  /**
   * Points each written source at its document; a source that held another document before lets go
   * of it, and a document no source holds any more goes with its chunks and edges, so stale chunks
   * do not outlive their source. A removal that keeps failing leaves the old document in place
   * (counted in {@code stale_documents_left}); the new one is complete either way.
   */
  private void removeReplacedDocuments(List<DocumentRecord> batch, Map<String, Refusal> failed)
      throws InterruptedException {
    List<Map<String, Object>> sources = new ArrayList<>();
    Set<String> current = new HashSet<>();
    for (DocumentRecord document : batch) {
      if (!failed.containsKey(document.source().docId())) {
        sources.add(ArangoRecords.source(document));
        current.add(document.source().docId());
      }
    }
    if (sources.isEmpty()) {
      return;
    }
    Set<String> replaced = new HashSet<>();
    try {
      for (DocumentCreateEntity<Map<String, Object>> written :
          call(
              "point sources",
              () ->
                  database
                      .collection(ArangoGraph.SOURCES)
                      .insertDocuments(sources, REPLACE_RETURNING_OLD, ROW)
                      .getDocuments())) {
        Map<String, Object> old = written.getOld();
        if (old != null
            && old.get("doc_id") instanceof String oldDocId
            && !current.contains(oldDocId)) {
          replaced.add(oldDocId);
        }
      }
      for (String docId : replaced) {
        if (call("look for holders of " + docId, () -> !referenced(docId))) {
          call(
              "remove " + docId,
              () -> {
                removeAll(docId);
                return null;
              });
        }
      }
    } catch (ArangoDBException e) {
      staleLeft.inc(Math.max(1, replaced.size()));
    }
  }

  private boolean referenced(String docId) {
    try (ArangoCursor<Object> holders =
        database.query(
            "FOR s IN sources FILTER s.doc_id == @doc RETURN s",
            Object.class,
            Map.of("doc", docId))) {
      return holders.hasNext();
    } catch (IOException e) {
      throw new ArangoDBException(e);
    }
  }

  private void removeAll(String docId) {
    for (String query :
        List.of(
            "FOR c IN chunks FILTER c.doc_id == @doc REMOVE c IN chunks",
            "FOR e IN has_chunk FILTER e.doc_id == @doc REMOVE e IN has_chunk",
            "FOR e IN next_chunk FILTER e.doc_id == @doc REMOVE e IN next_chunk",
            "FOR d IN documents FILTER d._key == @doc REMOVE d IN documents")) {
      try (ArangoCursor<Void> removed = database.query(query, Void.class, Map.of("doc", docId))) {
        documentsRemoved.inc(query.contains("IN documents") ? 1 : 0);
      } catch (IOException e) {
        throw new ArangoDBException(e);
      }
    }
  }

  /**
   * Writes the rows of every document not yet failed into one collection; records the documents
   * whose rows failed for good.
   */
  private void writeRows(
      String collection,
      Iterable<DocumentRecord> documents,
      Function<DocumentRecord, List<Map<String, Object>>> rowsOf,
      Map<String, Refusal> failed,
      Counter written)
      throws InterruptedException {
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, String> owner = new HashMap<>();
    for (DocumentRecord document : documents) {
      if (!failed.containsKey(document.source().docId())) {
        for (Map<String, Object> row : rowsOf.apply(document)) {
          rows.add(row);
          owner.put((String) row.get("_key"), document.source().docId());
        }
      }
    }
    RetryPolicy.Attempts itemRetries =
        retry.attempts("ArangoDB: items of " + collection, requestsRetried);
    while (!rows.isEmpty()) {
      List<Map<String, Object>> sending = rows;
      MultiDocumentEntity<DocumentCreateEntity<Map<String, Object>>> answer;
      try {
        answer =
            call(
                "write " + collection,
                () -> database.collection(collection).insertDocuments(sending, REPLACE, ROW));
      } catch (ArangoDBException e) {
        Refusal refusal = new Refusal(ArangoErrors.classify(e), describe(e));
        rows.forEach(row -> failed.putIfAbsent(owner.get((String) row.get("_key")), refusal));
        itemsFailed.inc(rows.size());
        return;
      }
      written.inc(answer.getDocuments().size());
      Map<Map<String, Object>, Refusal> transientItems = new java.util.IdentityHashMap<>();
      rows = retryableRows(rows, answer, owner, failed, transientItems);
      if (!rows.isEmpty()
          && !itemRetries.waitBeforeNext(
              rows.size()
                  + " items failed"
                  + " transiently, the first with "
                  + transientItems.get(rows.get(0)).reason())) {
        transientItems.forEach(
            (row, refusal) ->
                failed.putIfAbsent(
                    owner.get((String) row.get("_key")),
                    new Refusal(
                        refusal.failureClass(), refusal.reason() + ", still after retries")));
        itemsFailed.inc(rows.size());
        return;
      }
    }
  }

  /**
   * The rows to send again: those whose error is transient (a write-write conflict), each with why
   * in {@code transientItems}. Other per-item errors fail their document. The answer lists items in
   * request order, errors in place.
   */
  private List<Map<String, Object>> retryableRows(
      List<Map<String, Object>> rows,
      MultiDocumentEntity<DocumentCreateEntity<Map<String, Object>>> answer,
      Map<String, String> owner,
      Map<String, Refusal> failed,
      Map<Map<String, Object>, Refusal> transientItems) {
    List<Map<String, Object>> again = new ArrayList<>();
    List<Object> items = answer.getDocumentsAndErrors();
    for (int i = 0; i < items.size() && i < rows.size(); i++) {
      if (items.get(i) instanceof ErrorEntity error) {
        Refusal refusal =
            new Refusal(
                ArangoErrors.classify(error.getCode(), error.getErrorNum()),
                "error " + error.getErrorNum() + ": " + error.getErrorMessage());
        if (refusal.failureClass().retryable()) {
          again.add(rows.get(i));
          transientItems.put(rows.get(i), refusal);
        } else {
          itemsFailed.inc();
          failed.putIfAbsent(owner.get((String) rows.get(i).get("_key")), refusal);
        }
      }
    }
    return again;
  }

  private static String describe(ArangoDBException e) {
    return e.getErrorNum() != null
        ? "error " + e.getErrorNum() + ": " + e.getErrorMessage()
        : String.valueOf(e.getMessage());
  }
}
