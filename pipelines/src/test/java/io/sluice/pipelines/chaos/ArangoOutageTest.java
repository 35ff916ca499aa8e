package io.sluice.pipelines.chaos;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.arango.ArangoGraph;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.StoreChecksum;
import io.sluice.testing.TestDatabases;
import io.sluice.testing.arango.ArangoStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * ArangoDB (the wire-level stand-in) answering 503s, answering slowly and cutting connections in
 * the middle of answers, over and over while a run writes to it: the batches retry, the run
 * completes without failures, and both stores equal a clean run's.
 */
public class ArangoOutageTest {
  private static final List<String> COLLECTIONS =
      List.of(
          ArangoGraph.DOCUMENTS,
          ArangoGraph.CHUNKS,
          ArangoGraph.HAS_CHUNK,
          ArangoGraph.NEXT_CHUNK,
          ArangoGraph.SOURCES);

  private static final int FAULT_ROUNDS = 6;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private CliRun ingest(Path input, DatabaseConfig database, ArangoStandIn arango)
      throws Exception {
    Path password = folder.getRoot().toPath().resolve("arango-password");
    Files.writeString(password, "graph-secret\n");
    return CliRun.of(
        "ingest",
        "--input=" + input,
        "--databaseUrl=" + database.jdbcUrl(),
        "--arangoUrl=http://127.0.0.1:" + arango.port(),
        "--arangoProtocol=HTTP_JSON",
        "--arangoPasswordFile=" + password,
        "--arangoBatchDocuments=2");
  }

  /** Every collection's documents without the revisions, which count writes, not content. */
  private static Map<String, Map<String, ObjectNode>> graph(ArangoStandIn arango) {
    Map<String, Map<String, ObjectNode>> graph = new TreeMap<>();
    for (String collection : COLLECTIONS) {
      Map<String, ObjectNode> documents = new TreeMap<>(arango.documents("sluice", collection));
      documents.replaceAll(
          (key, document) -> {
            ObjectNode content = document.deepCopy();
            content.remove("_rev");
            return content;
          });
      graph.put(collection, documents);
    }
    return graph;
  }

  @Test
  public void errorsSlowAnswersAndCutConnectionsAreRetriedAndTheStoresEqualACleanRun()
      throws Exception {
    Path input = folder.newFolder("manuals").toPath();
    SampleCorpus.writeManuals(input, 12, 3);
    DatabaseConfig clean = TestDatabases.fresh();
    DatabaseConfig attacked = TestDatabases.fresh();
    try (ArangoStandIn cleanArango = ArangoStandIn.start("root", "graph-secret");
        ArangoStandIn faultyArango = ArangoStandIn.start("root", "graph-secret")) {
      assertThat(ingest(input, clean, cleanArango).exitCode(), equalTo(0));

      CompletableFuture<CliRun> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return ingest(input, attacked, faultyArango);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // Six rounds of faults while the run writes, then calm: an outage the retries must ride
      // out. (An endless one would exhaust any retry budget; that case is a recorded, retryable
      // failure the next run completes, which ArangoIngestTest covers.)
      int rounds = 0;
      while (!run.isDone() && rounds < FAULT_ROUNDS) {
        // One round of each fault, and a little calm for the batches in flight to land.
        faultyArango.failNext(3, 503);
        Thread.sleep(300);
        faultyArango.dropNext(2);
        Thread.sleep(300);
        faultyArango.delayAnswers(Duration.ofMillis(700));
        Thread.sleep(1_000);
        faultyArango.clearFaults();
        Thread.sleep(200);
        rounds++;
      }
      CliRun result = run.get();
      ArangoStandIn.FaultsDelivered faults = faultyArango.faultsDelivered();
      System.out.printf(
          "chaos: ArangoDB faults injected %d (%d × 503, %d connections cut"
              + " mid-answer, %d slow answers) in %d rounds, %d requests, run exit %d,"
              + " failures recorded %d%n",
          faults.total(),
          faults.errorAnswers(),
          faults.droppedConnections(),
          faults.slowAnswers(),
          rounds,
          faultyArango.requestCount(),
          result.exitCode(),
          TestDatabases.count(attacked, "SELECT count(*) FROM observability.request_failures"));

      assertThat(result.log() + result.out(), result.exitCode(), equalTo(0));
      assertThat(faults.errorAnswers(), greaterThan(0));
      assertThat(faults.droppedConnections(), greaterThan(0));
      assertThat(faults.slowAnswers(), greaterThan(0));
      assertThat(
          TestDatabases.count(attacked, "SELECT count(*) FROM observability.request_failures"),
          equalTo(0L));
      assertThat(
          StoreChecksum.report(StoreChecksum.compute(attacked)),
          equalTo(StoreChecksum.report(StoreChecksum.compute(clean))));
      assertThat(graph(faultyArango), equalTo(graph(cleanArango)));
    }
  }
}
