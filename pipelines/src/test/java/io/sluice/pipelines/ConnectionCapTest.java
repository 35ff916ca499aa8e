package io.sluice.pipelines;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A Flink run at parallelism 4 (four instances of each of the four PostgreSQL steps) shares one
 * pool of --maxConnections: PostgreSQL never sees more of sluice's connections than that.
 */
public class ConnectionCapTest {
  private static final int CAP = 3;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void aFlinkRunAtParallelismFourNeverHoldsMoreConnectionsThanTheCap() throws Exception {
    Path input = folder.getRoot().toPath();
    SampleCorpus.writeManuals(input, 24, 2);
    DatabaseConfig database = TestDatabases.fresh();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    // pg_stat_activity as an operator reads it: the pool's connections are named "sluice".
    Future<Long> mostHeld =
        watcher.submit(
            () -> {
              long most = 0;
              while (running.get()) {
                most =
                    Math.max(
                        most,
                        count(
                            database,
                            "SELECT count(*) FROM pg_stat_activity"
                                + " WHERE datname = current_database() AND application_name = 'sluice'"));
                Thread.sleep(20);
              }
              return most;
            });

    PipelineResult result =
        Ingests.run(
            database,
            List.of(input.toString()),
            "capped",
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=4",
            "--maxConnections=" + CAP);
    running.set(false);
    long held = mostHeld.get(1, TimeUnit.MINUTES);
    watcher.shutdown();

    System.out.printf(
        "at parallelism 4 with --maxConnections=%d: at most %d connections%n", CAP, held);
    assertThat(result.getState(), equalTo(PipelineResult.State.DONE));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM workflow.document_stages"
                + " WHERE stage = 'store' AND status = 'completed'"),
        equalTo(24L));
    assertThat(held, greaterThan(0L));
    assertThat(held, lessThanOrEqualTo((long) CAP));
  }
}
