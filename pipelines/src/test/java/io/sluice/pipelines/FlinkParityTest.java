package io.sluice.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The same input gives the same stores, bit for bit, on the DirectRunner and on Flink. */
public class FlinkParityTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void directRunnerAndFlinkMiniClusterInBatchAndStreamingModeStoreTheSame()
      throws Exception {
    Path input = folder.getRoot().toPath();
    SampleCorpus.writeTo(input);
    List<String> inputs = List.of(input.toString());

    DatabaseConfig direct = TestDatabases.fresh();
    Ingests.run(direct, inputs, "direct");
    DatabaseConfig flink = TestDatabases.fresh();
    Ingests.run(
        flink, inputs, "flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

    assertThat(Ingests.checksum(flink), equalTo(Ingests.checksum(direct)));

    // Streaming mode with checkpoints and the continuous match, as on a cluster.
    DatabaseConfig streaming = TestDatabases.fresh();
    Ingests.run(
        streaming,
        inputs,
        "flink-streaming",
        "--runner=FlinkRunner",
        "--flinkMaster=[local]",
        "--parallelism=2",
        "--streaming=true",
        "--checkpointingInterval=2000",
        "--pollIntervalSeconds=1",
        "--stopAfterIdleSeconds=2");
    assertThat(Ingests.checksum(streaming), equalTo(Ingests.checksum(direct)));
  }
}
