package io.sluice.pipelines.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ready option sets for a runner, kept in {@code runner-configs/NAME.conf} (one flag a line, {@code
 * #} comments). {@code --runnerConfig=NAME} puts that set before the user's own flags, so flags
 * given on the command line win; without it and without {@code --runner}, {@code direct} is used. A
 * file in the working directory's {@code runner-configs/} overrides the packaged one.
 */
final class RunnerConfigs {
  static final String DEFAULT = "direct";

  private RunnerConfigs() {}

  static List<String> expand(List<String> args) throws IOException {
    String name = null;
    boolean runnerGiven = false;
    List<String> rest = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--runnerConfig=")) {
        name = arg.substring("--runnerConfig=".length());
      } else {
        runnerGiven |= arg.startsWith("--runner=");
        rest.add(arg);
      }
    }
    if (name == null && runnerGiven) {
      return rest;
    }
    // Beam refuses a flag given twice, so a flag the user gives replaces the config's line.
    java.util.Set<String> given = new java.util.HashSet<>();
    rest.forEach(arg -> given.add(flagName(arg)));
    List<String> expanded = new ArrayList<>();
    for (String flag : flags(name == null ? DEFAULT : name)) {
      if (!given.contains(flagName(flag))) {
        expanded.add(flag);
      }
    }
    expanded.addAll(rest);
    return expanded;
  }

  private static String flagName(String arg) {
    int equals = arg.indexOf('=');
    return equals < 0 ? arg : arg.substring(0, equals);
  }

  private static List<String> flags(String name) throws IOException {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("runnerConfig must be a plain name, got " + name);
    }
    Path local = Path.of("runner-configs", name + ".conf");
    String text;
    if (Files.isRegularFile(local)) {
      text = Files.readString(local);
    } else {
      try (InputStream packaged =
          RunnerConfigs.class.getResourceAsStream("/runner-configs/" + name + ".conf")) {
        if (packaged == null) {
          throw new IllegalArgumentException("no runner config named " + name);
        }
        text = new String(packaged.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return text.lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }
}
