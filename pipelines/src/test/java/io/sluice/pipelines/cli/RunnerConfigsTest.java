package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import org.junit.Test;

public class RunnerConfigsTest {
  @Test
  public void theDirectConfigIsTheDefault() throws Exception {
    assertThat(
        RunnerConfigs.expand(List.of("--input=/x")),
        contains(
            "--runner=DirectRunner",
            "--enforceEncodability=false",
            "--enforceImmutability=false",
            "--targetParallelism=1",
            "--input=/x"));
  }

  @Test
  public void flagsOnTheCommandLineReplaceTheConfigsOwn() throws Exception {
    List<String> flags =
        RunnerConfigs.expand(
            List.of(
                "--runnerConfig=flink-cluster", "--flinkMaster=10.0.0.5:8081", "--parallelism=4"));
    assertThat(flags, hasItem("--flinkMaster=10.0.0.5:8081"));
    assertThat(flags, not(hasItem("--flinkMaster=127.0.0.1:8081")));
    assertThat(flags, hasItem("--parallelism=4"));
    assertThat(flags, not(hasItem("--parallelism=2")));
    assertThat(flags, hasItem("--streaming=true"));
  }

  @Test
  public void anExplicitRunnerWithoutAConfigIsLeftAlone() throws Exception {
    assertThat(
        RunnerConfigs.expand(List.of("--runner=FlinkRunner", "--flinkMaster=[local]")),
        contains("--runner=FlinkRunner", "--flinkMaster=[local]"));
  }
}
