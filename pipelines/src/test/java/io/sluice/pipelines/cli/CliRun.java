package io.sluice.pipelines.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One {@code sluice} command run in this JVM: its exit code and what it printed. */
public record CliRun(int exitCode, String out, String log) {

  public static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int code =
        Sluice.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), log.toString(StandardCharsets.UTF_8));
  }

  /** The run id a report starts with: "run <id> completed in …". */
  public String runId() {
    return out.lines()
        .filter(line -> line.startsWith("run "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no run report in:\n" + out + log))
        .split(" ")[1];
  }
}
