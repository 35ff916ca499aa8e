package io.sluice.transforms.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a user's {@code --input} means. A folder (a local directory, or any path ending in "/")
 * stands for everything below it; a glob is passed to Beam's file systems as it is; anything else
 * names one file. Matches found through a folder or glob are kept only when they are PDFs or ZIP
 * archives by name, so a README beside the documents is not reported as a broken PDF.
 */
public final class InputPatterns {
  private InputPatterns() {}

  /** The Beam match pattern for one input. */
  public static String toPattern(String input) {
    if (isGlob(input)) {
      return input;
    }
    if (input.endsWith("/")) {
      return input + "**";
    }
    if (isLocal(input) && Files.isDirectory(localPath(input))) {
      return localPath(input).toAbsolutePath().normalize() + "/**";
    }
    return isLocal(input) ? localPath(input).toAbsolutePath().normalize().toString() : input;
  }

  /** The URI prefix under which every source found through this input lies (for pruning). */
  public static String rootUri(String input) {
    String pattern = toPattern(input);
    int wildcard = firstWildcard(pattern);
    String prefix = wildcard < 0 ? pattern : pattern.substring(0, wildcard);
    return sourceUri(prefix);
  }

  public static boolean isGlob(String input) {
    return firstWildcard(input) >= 0;
  }

  /** Whether a file found through a folder or glob is one sluice ingests. */
  public static boolean isIngestibleName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".pdf") || lower.endsWith(".zip");
  }

  /**
   * The URI recorded for a matched file: local paths as file:// URIs, others as Beam names them.
   */
  public static String sourceUri(String resource) {
    return isLocal(resource) ? "file://" + localPath(resource).toAbsolutePath() : resource;
  }

  private static int firstWildcard(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isLocal(String resource) {
    return resource.startsWith("file:") || !resource.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
  }

  private static Path localPath(String resource) {
    return Path.of(
        resource.startsWith("file://")
            ? resource.substring("file://".length())
            : resource.startsWith("file:") ? resource.substring("file:".length()) : resource);
  }
}
