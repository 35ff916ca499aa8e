package io.sluice.sinks.arango;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.sinks.postgres.Fixtures;
import io.sluice.testing.arango.RunningArangoStandIn;
import io.sluice.transforms.model.Chunk;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

/** The ArangoDB sink through the real driver against the wire-level stand-in, faults included. */
public class ArangoWriteTest {
  private static final DocumentRecord LONG = Fixtures.document("file:///long.pdf", "long", 5);
  private static final DocumentRecord SHORT = Fixtures.document("file:///short.pdf", "short", 2);
  private static final DocumentRecord EMPTY = Fixtures.document("file:///scan.pdf", "scan", 0);

  @Rule public final RunningArangoStandIn arango = new RunningArangoStandIn();

  private ArangoWrite sink() {
    return ArangoWrite.to(arango.config())
        .withIndexVersion("iv-test", "test-model")
        .withMaxBatchDocuments(2);
  }

  /** One pipeline run writing the documents; returns the failures it produced. */
  private List<Failure> write(List<DocumentRecord> documents) {
    Pipeline pipeline = Pipeline.create(TestPipeline.testingPipelineOptions());
    List<Failure> collected = new ArrayList<>();
    PCollection<Failure> failures = pipeline.apply(Create.of(documents)).apply(sink()).failures();
    PAssert.that(failures)
        .satisfies(
            found -> {
              StreamSupport.stream(found.spliterator(), false).forEach(FAILURES::add);
              return null;
            });
    FAILURES.clear();
    pipeline.run().waitUntilFinish();
    collected.addAll(FAILURES);
    return collected;
  }

  /** PAssert runs in the pipeline's threads; the DirectRunner shares this JVM. */
  private static final List<Failure> FAILURES =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private Set<String> keys(String collection) {
    return arango.standIn().documents("sluice", collection).keySet();
  }

  private static Set<String> chunkIds(DocumentRecord... documents) {
    return java.util.Arrays.stream(documents)
        .flatMap(d -> d.chunks().stream())
        .map(Chunk::chunkId)
        .collect(Collectors.toSet());
  }

  @Test
  public void replayingTheSameDocumentsLeavesTheSameKeysAndEdges() {
    assertThat(write(List.of(LONG, SHORT, EMPTY)), equalTo(List.of()));
    Set<String> edges = Set.copyOf(keys(ArangoGraph.HAS_CHUNK));
    assertThat(write(List.of(LONG, SHORT, EMPTY)), equalTo(List.of()));

    assertThat(
        keys(ArangoGraph.DOCUMENTS),
        equalTo(Set.of(LONG.source().docId(), SHORT.source().docId(), EMPTY.source().docId())));
    assertThat(keys(ArangoGraph.CHUNKS), equalTo(chunkIds(LONG, SHORT, EMPTY)));
    assertThat(keys(ArangoGraph.HAS_CHUNK), equalTo(edges));
    assertThat(edges.size(), equalTo(7));
    assertThat(keys(ArangoGraph.NEXT_CHUNK).size(), equalTo(4 + 1));
    assertThat(
        arango.standIn().documents("sluice", ArangoGraph.DOCUMENTS).values().stream()
            .allMatch(vertex -> vertex.path("complete").asBoolean()),
        equalTo(true));
  }

  @Test
  public void connectionsCutWhileTheGraphIsCreatedAreRetried() {
    // Creates of the setup are carried out and their answers cut: the retry finds the
    // collections there, which must count as success, not as an error without a number.
    arango.standIn().dropNextCreates(3);
    assertThat(write(List.of(SHORT)), equalTo(List.of()));
    assertThat(keys(ArangoGraph.CHUNKS), equalTo(chunkIds(SHORT)));
  }

  @Test
  public void outagesDroppedConnectionsAndConflictsEndWithNothingLostOrDoubled() {
    arango.standIn().failNext(5, 503);
    arango.standIn().failKey(SHORT.chunks().get(1).chunkId(), 1200, 2);
    assertThat(write(List.of(LONG, SHORT)), equalTo(List.of()));
    arango.standIn().dropNext(2);
    assertThat(write(List.of(EMPTY, LONG)), equalTo(List.of()));

    assertThat(keys(ArangoGraph.CHUNKS), equalTo(chunkIds(LONG, SHORT)));
    assertThat(keys(ArangoGraph.DOCUMENTS).size(), equalTo(3));
    assertThat(keys(ArangoGraph.HAS_CHUNK).size(), equalTo(7));
  }

  @Test
  public void aSourceWithNewBytesTakesItsOldChunksAndEdgesAlongUnlessAnotherSourceHoldsThem() {
    DocumentRecord before = Fixtures.document("file:///notes.pdf", "version one", 4);
    DocumentRecord shared = Fixtures.document("file:///a.pdf", "shared", 3);
    DocumentRecord sharedCopy = Fixtures.document("file:///b.pdf", "shared", 3);
    assertThat(write(List.of(before, shared, sharedCopy)), equalTo(List.of()));

    DocumentRecord after = Fixtures.document("file:///notes.pdf", "version two", 2);
    DocumentRecord aChanged = Fixtures.document("file:///a.pdf", "a changed", 1);
    assertThat(write(List.of(after, aChanged)), equalTo(List.of()));

    assertThat(
        keys(ArangoGraph.DOCUMENTS),
        equalTo(
            Set.of(after.source().docId(), shared.source().docId(), aChanged.source().docId())));
    assertThat(keys(ArangoGraph.CHUNKS), equalTo(chunkIds(after, shared, aChanged)));
    assertThat(keys(ArangoGraph.HAS_CHUNK).size(), equalTo(2 + 3 + 1));
    assertThat(keys(ArangoGraph.NEXT_CHUNK).size(), equalTo(1 + 2 + 0));
  }

  @Test
  public void aPermanentItemErrorFailsItsDocumentWhichNeverLooksComplete() {
    arango.standIn().failKey(LONG.chunks().get(3).chunkId(), 1221);
    List<Failure> failures = write(List.of(LONG, SHORT));

    assertThat(failures.size(), equalTo(1));
    assertThat(failures.get(0).sourceUri(), equalTo("file:///long.pdf"));
    assertThat(failures.get(0).stage(), equalTo(Stage.STORE));
    assertThat(failures.get(0).message(), containsString("error 1221"));
    assertThat(
        "settles the document", failures.get(0).failureClass(), equalTo(FailureClass.REFUSED));
    assertThat(keys(ArangoGraph.DOCUMENTS), equalTo(Set.of(SHORT.source().docId())));
  }
}
