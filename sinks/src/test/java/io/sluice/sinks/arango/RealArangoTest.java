package io.sluice.sinks.arango;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assume.assumeTrue;

import com.arangodb.ArangoDB;
import com.arangodb.ArangoDatabase;
import com.arangodb.Protocol;
import io.sluice.sinks.postgres.Fixtures;
import io.sluice.transforms.model.DocumentRecord;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Test;

/**
 * The sink against a real ArangoDB, over HTTP/2 and HTTP/1.1, when {@code ARANGO_URL} names one
 * ({@code ARANGO_USER}, {@code ARANGO_PASSWORD} as usual). No server can be installed on the build
 * machines, so in CI this is skipped, saying so; the stand-in tests cover the same ground there.
 */
public class RealArangoTest {
  private static final List<DocumentRecord> DOCUMENTS =
      List.of(
          Fixtures.document("file:///long.pdf", "long", 5),
          Fixtures.document("file:///short.pdf", "short", 2));

  private static ArangoConfig config(Protocol protocol, String database) {
    String url = System.getenv("ARANGO_URL");
    assumeTrue(
        "ARANGO_URL is not set: no real ArangoDB to test against (the stand-in tests ran)",
        url != null && !url.isBlank());
    String user = System.getenv().getOrDefault("ARANGO_USER", "root");
    String password = System.getenv().getOrDefault("ARANGO_PASSWORD", "");
    return new ArangoConfig(url, database, user, password, protocol, true);
  }

  private static void write(ArangoConfig config) {
    Pipeline pipeline = Pipeline.create(TestPipeline.testingPipelineOptions());
    PAssert.that(
            pipeline
                .apply(Create.of(DOCUMENTS))
                .apply(ArangoWrite.to(config).withIndexVersion("iv-test", "test-model"))
                .failures())
        .empty();
    pipeline.run().waitUntilFinish();
  }

  private static long count(ArangoDatabase database, String collection) {
    return database.collection(collection).count().getCount();
  }

  private static void replayLeavesTheSameGraph(Protocol protocol) {
    ArangoConfig config =
        config(
            protocol,
            "sluice_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    write(config);
    write(config);
    ArangoDB arango = config.connect();
    try {
      ArangoDatabase database = arango.db(config.database());
      assertThat(count(database, ArangoGraph.DOCUMENTS), equalTo(2L));
      assertThat(count(database, ArangoGraph.CHUNKS), equalTo(7L));
      assertThat(count(database, ArangoGraph.HAS_CHUNK), equalTo(7L));
      assertThat(count(database, ArangoGraph.NEXT_CHUNK), equalTo(5L));
      database.drop();
    } finally {
      arango.shutdown();
    }
  }

  @Test
  public void replayOverHttp2LeavesTheSameGraph() {
    replayLeavesTheSameGraph(Protocol.HTTP2_JSON);
  }

  @Test
  public void replayOverHttp1LeavesTheSameGraph() {
    replayLeavesTheSameGraph(Protocol.HTTP_JSON);
  }

  /**
   * The index on a real server (3.12.4 and later, started with {@code --experimental-vector-index})
   * and the AQL nearest-neighbour query the README shows: a chunk's own vector finds that chunk.
   */
  @Test
  public void aVectorIndexIsTrainedAndAnswersTheReadmesQuery() {
    ArangoConfig config =
        config(
            Protocol.HTTP2_JSON,
            "sluice_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    write(config);
    ArangoDB arango = config.connect();
    try {
      ArangoDatabase database = arango.db(config.database());
      assertThat(
          ArangoVectorIndexes.ensure(config, "iv-test", Fixtures.VERSION.dimension()),
          equalTo("ArangoDB vector index vectors_iv_test created on 7 chunk vertices"));
      DocumentRecord document = DOCUMENTS.get(0);
      List<String> nearest =
          database
              .query(
                  "FOR c IN chunks LET score = APPROX_NEAR_COSINE(c.embedding, @question)"
                      + " SORT score DESC LIMIT 3 RETURN c._key",
                  String.class,
                  Map.of("question", document.chunks().get(2).embedding()))
              .asListRemaining();
      assertThat(nearest.get(0), equalTo(document.chunks().get(2).chunkId()));
      database.drop();
    } finally {
      arango.shutdown();
    }
  }
}
