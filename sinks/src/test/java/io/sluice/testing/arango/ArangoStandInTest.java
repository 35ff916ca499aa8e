package io.sluice.testing.arango;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertThrows;

import com.arangodb.ArangoCollection;
import com.arangodb.ArangoCursor;
import com.arangodb.ArangoDB;
import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDatabase;
import com.arangodb.Protocol;
import com.arangodb.entity.CollectionType;
import com.arangodb.entity.DocumentCreateEntity;
import com.arangodb.entity.EdgeDefinition;
import com.arangodb.entity.ErrorEntity;
import com.arangodb.entity.MultiDocumentEntity;
import com.arangodb.model.CollectionCreateOptions;
import com.arangodb.model.DocumentCreateOptions;
import com.arangodb.model.OverwriteMode;
import com.arangodb.model.PersistentIndexOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The stand-in, driven through the real ArangoDB Java driver as sluice will drive it: what the
 * driver sends must get the answers ArangoDB would give, faults included.
 */
public class ArangoStandInTest {
  private ArangoStandIn standIn;
  private ArangoDB arango;
  private ArangoDatabase database;

  @Before
  public void start() throws Exception {
    standIn = ArangoStandIn.start("root", "secret");
    arango = connect("secret");
    database = arango.db("sluice");
    database.create();
    database.createCollection("chunks");
  }

  @After
  public void stop() {
    arango.shutdown();
    standIn.close();
  }

  private ArangoDB connect(String password) {
    return new ArangoDB.Builder()
        .host(standIn.host(), standIn.port())
        .protocol(Protocol.HTTP_JSON)
        .user("root")
        .password(password)
        .build();
  }

  private static List<Map<String, Object>> chunks(String docId, int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(
            i -> Map.<String, Object>of("_key", docId + "-" + i, "doc_id", docId, "ordinal", i))
        .toList();
  }

  private MultiDocumentEntity<DocumentCreateEntity<Map<String, Object>>> insert(
      List<Map<String, Object>> documents, OverwriteMode mode) {
    DocumentCreateOptions options = new DocumentCreateOptions();
    if (mode != null) {
      options.overwriteMode(mode);
    }
    @SuppressWarnings("unchecked")
    Class<Map<String, Object>> type = (Class<Map<String, Object>>) (Class<?>) Map.class;
    return database.collection("chunks").insertDocuments(documents, options, type);
  }

  @Test
  public void createsDatabasesCollectionsIndexesAndGraphs() {
    assertThat(database.exists(), equalTo(true));
    assertThat(arango.db("absent").exists(), equalTo(false));
    database.createCollection("documents");
    database.createCollection(
        "has_chunk", new CollectionCreateOptions().type(CollectionType.EDGES));
    ArangoCollection edges = database.collection("has_chunk");
    assertThat(edges.exists(), equalTo(true));
    assertThat(edges.getInfo().getType(), equalTo(CollectionType.EDGES));
    assertThat(
        database
            .collection("chunks")
            .ensurePersistentIndex(List.of("doc_id"), new PersistentIndexOptions())
            .getFields(),
        equalTo(List.of("doc_id")));
    database.createGraph(
        "sluice",
        List.of(new EdgeDefinition().collection("has_chunk").from("documents").to("chunks")));
    assertThat(database.graph("sluice").exists(), equalTo(true));
    ArangoDBException duplicate =
        assertThrows(ArangoDBException.class, () -> database.createCollection("documents"));
    assertThat(duplicate.getErrorNum(), equalTo(1207));
  }

  @Test
  public void replayingABatchWithReplaceKeepsTheKeysAndChangesTheRevisions() {
    var first = insert(chunks("d1", 3), OverwriteMode.replace);
    var second = insert(chunks("d1", 3), OverwriteMode.replace);
    assertThat(first.getErrors().size(), equalTo(0));
    assertThat(second.getErrors().size(), equalTo(0));
    assertThat(
        standIn.documents("sluice", "chunks").keySet(),
        equalTo(java.util.Set.of("d1-0", "d1-1", "d1-2")));
    for (int i = 0; i < 3; i++) {
      DocumentCreateEntity<?> before = first.getDocuments().get(i);
      DocumentCreateEntity<?> after = second.getDocuments().get(i);
      assertThat(after.getKey(), equalTo(before.getKey()));
      assertThat(after.getRev(), not(equalTo(before.getRev())));
    }
  }

  @Test
  public void perItemErrorsComeBackInsideASuccessfulAnswerWithoutAnException() {
    insert(chunks("d2", 2), null);
    var again = insert(chunks("d2", 2), null);
    assertThat(
        again.getErrors().stream().map(ErrorEntity::getErrorNum).toList(),
        equalTo(List.of(1210, 1210)));
    var illegal =
        insert(List.of(Map.of("_key", "no/slashes", "doc_id", "x")), OverwriteMode.replace);
    assertThat(illegal.getErrors().get(0).getErrorNum(), equalTo(1221));
    standIn.failKey("d3-1", 1200);
    var conflict = insert(chunks("d3", 3), OverwriteMode.replace);
    assertThat(conflict.getDocuments().size(), equalTo(2));
    assertThat(conflict.getErrors().get(0).getErrorNum(), equalTo(1200));
  }

  @Test
  public void injectedFaultsReachTheDriverAsTheyWouldFromAServer() {
    // One 503: the driver itself sends the request again, and the second attempt gets through.
    int before = standIn.requestCount();
    standIn.failNext(1, 503);
    assertThat(insert(chunks("d4", 2), OverwriteMode.replace).getErrors().size(), equalTo(0));
    assertThat(standIn.requestCount() - before, equalTo(2));

    // 503 every time: after three attempts the driver gives up, naming the hosts it tried.
    before = standIn.requestCount();
    standIn.failNext(100, 503);
    ArangoDBException unavailable =
        assertThrows(ArangoDBException.class, () -> insert(chunks("d5", 2), OverwriteMode.replace));
    assertThat(unavailable.getMessage(), containsString("Cannot contact any host"));
    assertThat(standIn.requestCount() - before, equalTo(3));
    standIn.clearFaults();
    assertThat(
        standIn.documents("sluice", "chunks").keySet(), equalTo(java.util.Set.of("d4-0", "d4-1")));

    // A connection cut after the batch was applied: the driver does not resend a write, it
    // fails, though the server has the batch. Only an idempotent retry makes that whole again.
    standIn.dropNext(1);
    ArangoDBException cut =
        assertThrows(ArangoDBException.class, () -> insert(chunks("d6", 2), OverwriteMode.replace));
    assertThat(cut.getMessage(), containsString("Connection was closed"));
    assertThat(standIn.documents("sluice", "chunks").size(), equalTo(4));
    assertThat(insert(chunks("d6", 2), OverwriteMode.replace).getErrors().size(), equalTo(0));
    assertThat(standIn.documents("sluice", "chunks").size(), equalTo(4));

    standIn.delayAnswers(Duration.ofMillis(300));
    long start = System.nanoTime();
    database.exists();
    assertThat((System.nanoTime() - start) / 1_000_000, greaterThanOrEqualTo(300L));
  }

  @Test
  public void wrongCredentialsAreRefused() {
    ArangoDB intruder = connect("wrong");
    try {
      ArangoDBException refused =
          assertThrows(ArangoDBException.class, () -> intruder.db("sluice").exists());
      assertThat(refused.getResponseCode(), equalTo(401));
    } finally {
      intruder.shutdown();
    }
  }

  @Test
  public void aqlRemovesAndReturnsByAttribute() throws Exception {
    insert(chunks("old", 3), OverwriteMode.replace);
    insert(chunks("new", 2), OverwriteMode.replace);
    try (ArangoCursor<Void> removed =
        database.query(
            "FOR c IN chunks FILTER c.doc_id == @doc REMOVE c IN chunks",
            Void.class,
            Map.of("doc", "old"))) {
      assertThat(removed.getStats().getWritesExecuted(), equalTo(3L));
    }
    try (ArangoCursor<Map> remaining =
        database.query(
            "FOR c IN chunks FILTER c.doc_id == @doc RETURN c", Map.class, Map.of("doc", "new"))) {
      List<Map> rows = remaining.asListRemaining();
      assertThat(rows.size(), equalTo(2));
      assertThat(rows.stream().map(row -> row.get("doc_id")).toList(), everyItem(equalTo("new")));
    }
    assertThat(standIn.documents("sluice", "chunks").size(), equalTo(2));
  }
}
