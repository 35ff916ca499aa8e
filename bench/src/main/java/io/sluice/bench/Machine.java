package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the bench ran on, in one line: cores, CPU model, memory, Java. */
final class Machine {
  private Machine() {}

  static String describe() {
    return Runtime.getRuntime().availableProcessors()
        + " cores ("
        + procLine("/proc/cpuinfo", "model name")
        + "), "
        + procLine("/proc/meminfo", "MemTotal")
        + ", Java "
        + System.getProperty("java.version");
  }

  private static String procLine(String file, String key) {
    try (Stream<String> lines = Files.lines(Path.of(file))) {
      return lines
          .filter(line -> line.startsWith(key))
          .findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
