package io.sluice.sinks.arango;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.arangodb.ArangoDB;
import com.arangodb.entity.IndexEntity;
import com.arangodb.entity.IndexType;
import io.sluice.sinks.postgres.Fixtures;
import io.sluice.testing.arango.RunningArangoStandIn;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;

/**
 * The vector index on the chunk vertices, against the stand-in: what sluice asks a server for and
 * when it does not ask. Whether a real server trains and serves the index is {@link
 * RealArangoTest}'s.
 */
public class ArangoVectorIndexesTest {
  private static final int DIMENSION = Fixtures.VERSION.dimension();
  @Rule public final RunningArangoStandIn arango = new RunningArangoStandIn();

  private void writeSevenChunks() {
    Pipeline pipeline = Pipeline.create(TestPipeline.testingPipelineOptions());
    PAssert.that(
            pipeline
                .apply(
                    Create.of(
                        Fixtures.document("file:///long.pdf", "long", 5),
                        Fixtures.document("file:///short.pdf", "short", 2)))
                .apply(ArangoWrite.to(arango.config()).withIndexVersion("iv-test", "test-model"))
                .failures())
        .empty();
    pipeline.run().waitUntilFinish();
  }

  private List<IndexEntity> vectorIndexes() {
    ArangoDB client = arango.config().connect();
    try {
      return client.db("sluice").collection(ArangoGraph.CHUNKS).getIndexes().stream()
          .filter(index -> index.getType() == IndexType.vector)
          .toList();
    } finally {
      client.shutdown();
    }
  }

  @Test
  public void aVersionGetsOneCosineIndexOnTheChunkVectorsAndKeepsIt() {
    writeSevenChunks();

    assertThat(
        ArangoVectorIndexes.ensure(arango.config(), "iv-test", DIMENSION),
        equalTo("ArangoDB vector index vectors_iv_test created on 7 chunk vertices"));
    assertThat(
        ArangoVectorIndexes.ensure(arango.config(), "iv-test", DIMENSION),
        equalTo("ArangoDB vector index vectors_iv_test present"));

    List<IndexEntity> indexes = vectorIndexes();
    assertThat(indexes, hasSize(1));
    IndexEntity index = indexes.get(0);
    assertThat(index.getName(), equalTo("vectors_iv_test"));
    assertThat(List.copyOf(index.getFields()), equalTo(List.of("embedding")));
    assertThat(index.getParams().getMetric().name(), equalTo("cosine"));
    assertThat(index.getParams().getDimension(), equalTo(DIMENSION));
    assertThat(index.getParams().getnLists(), equalTo(1));
  }

  @Test
  public void aSecondVersionIsRefusedWithTheReasonNotMixedIntoTheFirstsIndex() {
    writeSevenChunks();
    ArangoVectorIndexes.ensure(arango.config(), "iv-test", DIMENSION);

    assertThat(
        ArangoVectorIndexes.ensure(arango.config(), "iv-other", DIMENSION),
        containsString("has vectors_iv_test for another index version"));
    assertThat(vectorIndexes(), hasSize(1));
  }

  @Test
  public void aServerBefore3124IsToldApartAndAskedForNothing() {
    writeSevenChunks();
    arango.standIn().reportVersion("3.12.3");

    assertThat(
        ArangoVectorIndexes.ensure(arango.config(), "iv-test", DIMENSION),
        equalTo("ArangoDB 3.12.3 has no vector index (3.12.4 and later): AQL search is exact"));
    assertThat(vectorIndexes(), hasSize(0));
  }

  @Test
  public void anEmptyCollectionWaitsForVectorsToTrainOn() {
    ArangoDB client = arango.config().connect();
    try {
      ArangoGraph.ensure(client, arango.config());
    } finally {
      client.shutdown();
    }

    assertThat(
        ArangoVectorIndexes.ensure(arango.config(), "iv-test", DIMENSION),
        equalTo("ArangoDB vector index not created: no chunk vertices yet"));
    assertThat(vectorIndexes(), hasSize(0));
  }

  @Test
  public void listsGrowAsTheRootOfTheVectorsAndStayTrainable() {
    assertThat(ArangoVectorIndexes.lists(1), equalTo(1));
    assertThat(ArangoVectorIndexes.lists(37), equalTo(1));
    assertThat(ArangoVectorIndexes.lists(390), equalTo(10));
    assertThat(ArangoVectorIndexes.lists(11_543), equalTo(107));
    assertThat(ArangoVectorIndexes.lists(1_000_000), equalTo(1000));
  }

  @Test
  public void versionsCompareByNumberNotByText() {
    int[] first = {3, 12, 4};
    assertThat(ArangoVectorIndexes.atLeast("3.12.4", first), equalTo(true));
    assertThat(ArangoVectorIndexes.atLeast("3.12.10", first), equalTo(true));
    assertThat(ArangoVectorIndexes.atLeast("3.12.4-2", first), equalTo(true));
    assertThat(ArangoVectorIndexes.atLeast("3.12.3", first), equalTo(false));
    assertThat(ArangoVectorIndexes.atLeast("3.11.14", first), equalTo(false));
    assertThat(ArangoVectorIndexes.atLeast("4.0.0", first), equalTo(true));
  }
}
