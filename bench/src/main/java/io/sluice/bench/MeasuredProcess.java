package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a command the way a user would and measures it from outside: wall time, the peak resident
 * memory of the process and every process it starts (sampled from {@code /proc}), and the CPU time
 * it and its finished children used.
 */
final class MeasuredProcess {
  /** Linux's clock ticks per second for the times in {@code /proc/<pid>/stat}. */
  private static final double TICKS_PER_SECOND = 100.0;

  private static final long SAMPLE_MILLIS = 100;

  record Result(
      int exitCode, double wallSeconds, long peakRssBytes, double cpuSeconds, String output) {
    double peakRssMiB() {
      return peakRssBytes / (1024.0 * 1024.0);
    }
  }

  private MeasuredProcess() {}

  static Result run(List<String> command, Path workingDirectory, Duration limit)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("sluice-bench-", ".log");
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    long peakRss = 0;
    double cpu = 0;
    long deadline = start + limit.toNanos();
    while (!process.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() > deadline) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IOException("gave up after " + limit.toSeconds() + " s: " + command);
      }
      long rss = rssBytes(process.pid());
      try (Stream<ProcessHandle> children = process.descendants()) {
        rss += children.mapToLong(child -> rssBytes(child.pid())).sum();
      }
      peakRss = Math.max(peakRss, rss);
      cpu = Math.max(cpu, cpuSeconds(process.pid()));
    }
    double wall = (System.nanoTime() - start) / 1e9;
    String text = Files.readString(output);
    Files.delete(output);
    return new Result(process.exitValue(), wall, peakRss, cpu, text);
  }

  /** VmRSS of a live process, 0 once it has gone. */
  private static long rssBytes(long pid) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
      return lines
          .filter(line -> line.startsWith("VmRSS:"))
          .findFirst()
          .map(line -> Long.parseLong(line.replaceAll("\\D+", "")) * 1024)
          .orElse(0L);
    } catch (IOException | java.io.UncheckedIOException gone) {
      return 0;
    }
  }

  /** User and system time of a process and of its children it has waited for. */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = 0;
      for (int field = 11; field <= 14; field++) { // utime, stime, cutime, cstime
        ticks += Long.parseLong(fields[field]);
      }
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }
}
