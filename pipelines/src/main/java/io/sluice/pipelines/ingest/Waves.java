package io.sluice.pipelines.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * A batch ingest's files split into waves, each a pipeline run of its own. The DirectRunner runs a
 * bounded pipeline stage by stage (every file read, then every file extracted, …, then every
 * document stored), so one pipeline over a big folder stores nothing until the end and holds the
 * whole corpus's texts and vectors meanwhile; a wave stores its documents when it ends, and holds
 * only its own. Waves keep the match's order. The first ones grow from one file (1, 2, 4, …), so
 * that the first documents are stored within seconds of the start; after that each holds at most
 * {@code maxFiles} files and {@code maxBytes} bytes, and a file larger than that is a wave alone.
 */
public final class Waves {
  private Waves() {}

  public static List<List<MatchResult.Metadata>> split(
      List<MatchResult.Metadata> files, int maxFiles, long maxBytes) {
    if (maxFiles <= 0) {
      throw new IllegalArgumentException("waveFiles must be positive, got " + maxFiles);
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("wave bytes must be positive, got " + maxBytes);
    }
    List<List<MatchResult.Metadata>> waves = new ArrayList<>();
    List<MatchResult.Metadata> wave = new ArrayList<>();
    long waveBytes = 0;
    int waveLimit = 1;
    for (MatchResult.Metadata file : distinct(files)) {
      boolean full = wave.size() >= waveLimit || waveBytes + file.sizeBytes() > maxBytes;
      if (!wave.isEmpty() && full) {
        waves.add(wave);
        wave = new ArrayList<>();
        waveBytes = 0;
        waveLimit = Math.min(maxFiles, waveLimit * 2);
      }
      wave.add(file);
      waveBytes += file.sizeBytes();
    }
    if (!wave.isEmpty()) {
      waves.add(wave);
    }
    return waves;
  }

  /** A file two inputs both matched is read once. */
  private static List<MatchResult.Metadata> distinct(List<MatchResult.Metadata> files) {
    Map<String, MatchResult.Metadata> byResource = new LinkedHashMap<>();
    files.forEach(file -> byResource.putIfAbsent(file.resourceId().toString(), file));
    return List.copyOf(byResource.values());
  }
}
