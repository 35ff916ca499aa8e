package io.sluice.pipelines.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.Test;

public class WavesTest {
  private static MatchResult.Metadata file(String name, long bytes) {
    return MatchResult.Metadata.builder()
        .setResourceId(FileSystems.matchNewResource("/data/" + name, false))
        .setSizeBytes(bytes)
        .setIsReadSeekEfficient(true)
        .build();
  }

  private static List<MatchResult.Metadata> files(int count, long bytes) {
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      files.add(file(String.format("%03d.pdf", i), bytes));
    }
    return files;
  }

  private static List<Integer> sizes(List<List<MatchResult.Metadata>> waves) {
    return waves.stream().map(List::size).toList();
  }

  @Test
  public void theFirstWavesGrowFromOneFileToTheLimit() {
    assertThat(sizes(Waves.split(files(50, 10), 8, 1_000)), contains(1, 2, 4, 8, 8, 8, 8, 8, 3));
  }

  @Test
  public void aWaveHoldsAtMostItsBytesAndABigFileIsAWaveAlone() {
    List<MatchResult.Metadata> files =
        List.of(
            file("a.pdf", 10),
            file("b.pdf", 30),
            file("c.pdf", 30),
            file("huge.pdf", 500),
            file("d.pdf", 60),
            file("e.pdf", 50));
    List<List<MatchResult.Metadata>> waves = Waves.split(files, 8, 100);

    assertThat(sizes(waves), contains(1, 2, 1, 1, 1));
    assertThat(
        waves.get(2).stream().map(file -> file.resourceId().getFilename()).toList(),
        contains("huge.pdf"));
  }

  @Test
  public void everyFileIsInOneWaveInMatchOrderAndAFileMatchedTwiceIsReadOnce() {
    List<MatchResult.Metadata> matched = new ArrayList<>(files(20, 10));
    matched.add(file("005.pdf", 10));
    List<String> inWaves =
        Waves.split(matched, 4, 1_000).stream()
            .flatMap(List::stream)
            .map(file -> file.resourceId().getFilename())
            .toList();

    assertThat(
        inWaves, contains(files(20, 10).stream().map(f -> f.resourceId().getFilename()).toArray()));
  }

  @Test
  public void noFilesAreNoWavesAndLimitsMustBePositive() {
    assertThat(Waves.split(List.of(), 8, 100), empty());
    assertThrows(IllegalArgumentException.class, () -> Waves.split(files(3, 1), 0, 100));
    assertThrows(IllegalArgumentException.class, () -> Waves.split(files(3, 1), 8, 0));
  }
}
