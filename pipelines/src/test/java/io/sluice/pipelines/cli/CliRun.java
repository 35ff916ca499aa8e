package io.sluice.pipelines.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One {@code sluice} command run in this JVM: its exit code and what it printed. */
public record CliRun(int exitCode, String out, String log) {

  /** {@code sluice ingest --input=… --databaseUrl=…} and more flags. */
  public static CliRun ingest(String input, String databaseUrl, List<String> more) {
    List<String> args =
        new ArrayList<>(List.of("ingest", "--input=" + input, "--databaseUrl=" + databaseUrl));
    args.addAll(more);
    return of(args.toArray(String[]::new));
  }

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
