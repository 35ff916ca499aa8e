package io.sluice.sinks.arango;

import com.arangodb.ArangoDB;
import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDatabase;
import com.arangodb.entity.CollectionType;
import com.arangodb.entity.EdgeDefinition;
import com.arangodb.model.CollectionCreateOptions;
import com.arangodb.model.PersistentIndexOptions;
import java.util.List;

/**
 * sluice's layout in ArangoDB: vertex collections {@code documents} ({@code _key} = doc_id) and
 * {@code chunks} ({@code _key} = chunk_id), edge collections {@code has_chunk} (document → chunk)
 * and {@code next_chunk} (chunk → the chunk after it in reading order), a persistent index on
 * {@code chunks.doc_id}, the named graph {@code sluice} over them, and {@code sources} (source URI
 * → doc_id, for updates). Created when missing.
 */
public final class ArangoGraph {
  /** "Duplicate name" and "graph already exists": another writer created it first. */
  private static final java.util.Set<Integer> ALREADY_THERE = java.util.Set.of(1207, 1925);

  public static final String DOCUMENTS = "documents";
  public static final String CHUNKS = "chunks";
  public static final String HAS_CHUNK = "has_chunk";
  public static final String NEXT_CHUNK = "next_chunk";

  /** Source URI → doc_id, so a source whose bytes changed can let go of its old document. */
  public static final String SOURCES = "sources";

  public static final String GRAPH = "sluice";

  private ArangoGraph() {}

  /**
   * Creates what is missing. Every writer instance calls this at setup, concurrently, so losing a
   * race to create something ("already exists") counts as success.
   */
  public static ArangoDatabase ensure(ArangoDB arango, ArangoConfig config) {
    ArangoDatabase database = arango.db(config.database());
    if (!database.exists()) {
      if (!config.createDatabase()) {
        throw new IllegalStateException(
            "ArangoDB database "
                + config.database()
                + " does not exist (pass --arangoCreateDatabase=true to create it)");
      }
      unlessAlreadyThere(database::create);
    }
    for (String vertices : List.of(DOCUMENTS, CHUNKS, SOURCES)) {
      if (!database.collection(vertices).exists()) {
        unlessAlreadyThere(() -> database.createCollection(vertices));
      }
    }
    for (String edges : List.of(HAS_CHUNK, NEXT_CHUNK)) {
      if (!database.collection(edges).exists()) {
        unlessAlreadyThere(
            () ->
                database.createCollection(
                    edges, new CollectionCreateOptions().type(CollectionType.EDGES)));
      }
    }
    database
        .collection(CHUNKS)
        .ensurePersistentIndex(List.of("doc_id"), new PersistentIndexOptions());
    if (!database.graph(GRAPH).exists()) {
      unlessAlreadyThere(
          () ->
              database.createGraph(
                  GRAPH,
                  List.of(
                      new EdgeDefinition().collection(HAS_CHUNK).from(DOCUMENTS).to(CHUNKS),
                      new EdgeDefinition().collection(NEXT_CHUNK).from(CHUNKS).to(CHUNKS))));
    }
    return database;
  }

  private static void unlessAlreadyThere(Runnable create) {
    try {
      create.run();
    } catch (ArangoDBException e) {
      // No error number: no answer (a 503 without a body, a cut connection), for the caller's
      // retry to judge.
      if (e.getErrorNum() == null || !ALREADY_THERE.contains(e.getErrorNum())) {
        throw e;
      }
    }
  }
}
