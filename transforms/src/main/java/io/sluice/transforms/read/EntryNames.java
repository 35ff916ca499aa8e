package io.sluice.transforms.read;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ZIP member names as sluice accepts them. Backslashes count as separators (Windows archivers write
 * them), so {@code safe/..\evil.pdf} is seen for what it is. Absolute names, drive letters, {@code
 * ..} segments and control characters are refused; {@code .} and empty segments are dropped; the
 * result is in Unicode NFC so one name has one spelling.
 */
final class EntryNames {
  private EntryNames() {}

  /** Why the name is unsafe, or empty when it can be used. */
  static Optional<String> whyUnsafe(String rawName) {
    String name = rawName.replace('\\', '/');
    if (name.startsWith("/")) {
      return Optional.of("absolute path");
    }
    if (name.matches("^[A-Za-z]:.*")) {
      return Optional.of("drive-letter path");
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("control character in name");
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        return Optional.of("path traversal (..)");
      }
    }
    if (normalize(rawName).isEmpty()) {
      return Optional.of("empty name");
    }
    return Optional.empty();
  }

  /** The normalised form of a name {@link #whyUnsafe} accepted. */
  static String normalize(String rawName) {
    List<String> kept = new ArrayList<>();
    for (String segment : rawName.replace('\\', '/').split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        kept.add(segment);
      }
    }
    return Normalizer.normalize(String.join("/", kept), Normalizer.Form.NFC);
  }

  /** A name printable in a failure message even when it is unsafe. */
  static String printable(String rawName) {
    StringBuilder out = new StringBuilder(rawName.length());
    rawName
        .codePoints()
        .forEach(
            c ->
                out.append(c < 0x20 || c == 0x7f ? "\\u%04x".formatted(c) : Character.toString(c)));
    return out.toString();
  }

  /**
   * The name itself the first time, then {@code name#2}, {@code name#3}…: two members of one
   * archive with the same name are two sources, never one overwriting the other.
   */
  static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int occurrence = 2; !taken.add(candidate); occurrence++) {
      candidate = name + "#" + occurrence;
    }
    return candidate;
  }
}
