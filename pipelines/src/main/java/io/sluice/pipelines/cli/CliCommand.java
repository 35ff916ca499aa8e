package io.sluice.pipelines.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs the sluice CLI in a JVM of its own, from a built job jar. The job jar
 * holds what runs on a cluster's workers; the client also needs what the cluster provides and what
 * only the CLI uses (Flink's runtime and client, the embedded PostgreSQL, the sample generators),
 * which the build lists beside the jar in {@code cli.classpath}.
 */
public final class CliCommand {
  private CliCommand() {}

  public static List<String> of(Path jobJar, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    Path libraries = jobJar.resolveSibling("cli.classpath");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(jobJar + File.pathSeparator + Files.readString(libraries).strip());
    command.add(Sluice.class.getName());
    command.addAll(arguments);
    return command;
  }
}
