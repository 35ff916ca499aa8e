package io.sluice.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.lessThan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.Test;

/**
 * The packaged job jar carries what runs on a cluster's workers and nothing a cluster provides or
 * only the CLI needs: no Flink (the cluster's own classes win anyway), no embedded PostgreSQL, no
 * sample generators, and it stays under 150 MB.
 */
public class JobJarIT {
  private static final List<String> LEFT_OUT =
      List.of(
          "org/apache/flink/",
          "scala/",
          "postgres-linux-x86_64.txz",
          "io/zonky/",
          "io/sluice/samples/",
          "org/slf4j/simple/",
          "org/apache/logging/log4j/core/",
          "com/google/cloud/storage/",
          "org/sqlite/native/Windows/");

  @Test
  public void theJobJarLeavesOutWhatTheClusterAndTheCliProvide() throws Exception {
    Path jobJar = Path.of(System.getProperty("sluice.jobJar"));
    try (JarFile jar = new JarFile(jobJar.toFile())) {
      List<String> unwanted =
          jar.stream()
              .map(ZipEntry::getName)
              .filter(name -> LEFT_OUT.stream().anyMatch(name::startsWith))
              .limit(10)
              .toList();
      assertThat(unwanted, empty());
    }
    assertThat(Files.size(jobJar), lessThan(150L * 1024 * 1024));
  }
}
