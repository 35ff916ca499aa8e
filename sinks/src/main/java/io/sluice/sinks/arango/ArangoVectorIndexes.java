package io.sluice.sinks.arango;

import com.arangodb.ArangoCollection;
import com.arangodb.ArangoDB;
import com.arangodb.entity.IndexEntity;
import com.arangodb.entity.IndexType;
import com.arangodb.entity.VectorIndexParams;
import com.arangodb.model.VectorIndexOptions;
import io.sluice.sinks.core.SharedClients;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ArangoDB's side of retrieval: a vector index (cosine) on the {@code embedding} of the chunk
 * vertices, named for the index version, on a server that has them (3.12.4 and later). ArangoDB's
 * vector index is an IVF index trained on the vectors present when it is created (before 3.12.9 it
 * must be), so it is created after a run, like pgvector's bulk build, and it covers the attribute
 * in the whole collection: a chunk vertex holds the vector of the version that wrote it last, so
 * one index version per ArangoDB database is what vector search there supports, and a second
 * version's index is refused with that reason rather than mixing two models' vectors.
 */
public final class ArangoVectorIndexes {
  private static final Logger LOG = LoggerFactory.getLogger(ArangoVectorIndexes.class);
  private static final String FIELD = "embedding";
  private static final int[] FIRST_VERSION = {3, 12, 4};
  // Faiss wants about 39 training vectors per list; fewer lists than that train badly.
  private static final int VECTORS_PER_LIST = 39;

  private ArangoVectorIndexes() {}

  /** The name of a version's vector index on the chunk vertices. */
  public static String indexName(String indexVersion) {
    return "vectors_" + indexVersion.replace('-', '_');
  }

  /** The number of IVF lists for a collection of this many vectors: √n, trainable on n. */
  static int lists(long vectors) {
    long trainable = Math.max(1, vectors / VECTORS_PER_LIST);
    return (int) Math.max(1, Math.min(trainable, Math.round(Math.sqrt(vectors))));
  }

  /**
   * Creates the version's vector index when the server supports one and the chunk vertices have
   * vectors; returns one line saying what was found or done.
   */
  public static String ensure(ArangoConfig config, String indexVersion, int dimension) {
    try (SharedClients<ArangoConfig, ArangoDB>.Lease lease = ArangoClients.lease(config)) {
      ArangoDB arango = lease.client();
      String server = arango.getVersion().getVersion();
      if (!atLeast(server, FIRST_VERSION)) {
        return "ArangoDB "
            + server
            + " has no vector index (3.12.4 and later): AQL search is exact";
      }
      ArangoCollection chunks = arango.db(config.database()).collection(ArangoGraph.CHUNKS);
      String name = indexName(indexVersion);
      Optional<IndexEntity> existing =
          chunks.getIndexes().stream()
              .filter(index -> index.getType() == IndexType.vector)
              .findFirst();
      if (existing.isPresent()) {
        return existing.get().getName().equals(name)
            ? "ArangoDB vector index " + name + " present"
            : "ArangoDB vector index not created: "
                + ArangoGraph.CHUNKS
                + " has "
                + existing.get().getName()
                + " for another index version; give each version a database of its own"
                + " (--arangoDatabase)";
      }
      long vectors = chunks.count().getCount();
      if (vectors == 0) {
        return "ArangoDB vector index not created: no chunk vertices yet";
      }
      int lists = lists(vectors);
      LOG.info(
          "creating ArangoDB vector index {} on {} chunk vertices, {} lists", name, vectors, lists);
      chunks.ensureVectorIndex(
          List.of(FIELD),
          new VectorIndexOptions()
              .name(name)
              .params(
                  new VectorIndexParams()
                      .metric(VectorIndexParams.Metric.cosine)
                      .dimension(dimension)
                      .nLists(lists)));
      return "ArangoDB vector index " + name + " created on " + vectors + " chunk vertices";
    }
  }

  /** Whether a version string such as {@code 3.12.4-1} is at least the given one. */
  static boolean atLeast(String version, int[] wanted) {
    String[] parts = version.split("[.-]");
    for (int i = 0; i < wanted.length; i++) {
      int part = i < parts.length && parts[i].matches("\\d+") ? Integer.parseInt(parts[i]) : 0;
      if (part != wanted[i]) {
        return part > wanted[i];
      }
    }
    return true;
  }
}
