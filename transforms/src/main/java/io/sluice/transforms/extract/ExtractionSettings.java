package io.sluice.transforms.extract;

import java.io.Serializable;
import java.time.Duration;

/**
 * How extraction behaves. {@code timeout} abandons a document that takes longer; {@code maxPages}
 * refuses documents with more pages; with {@code honourPermissions} a document whose permissions
 * forbid text extraction is refused instead of extracted (PDFBox can extract it either way).
 *
 * <p>A document has a usable text layer when it holds at least {@code minTextCharacters} letters
 * and digits and at least {@code minTextPageFraction} of its pages carry letters. The second rule
 * makes a mostly scanned document, with text on one page in six, what it is: an OCR candidate,
 * not a document whose one legible page stands for the whole.
 */
public record ExtractionSettings(
    Duration timeout,
    int maxPages,
    boolean honourPermissions,
    int minTextCharacters,
    double minTextPageFraction)
    implements Serializable {

  public ExtractionSettings {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (maxPages <= 0) {
      throw new IllegalArgumentException("maxPages must be positive, got " + maxPages);
    }
    if (minTextCharacters <= 0) {
      throw new IllegalArgumentException(
          "minTextCharacters must be positive, got " + minTextCharacters);
    }
    if (!(minTextPageFraction >= 0 && minTextPageFraction <= 1)) {
      throw new IllegalArgumentException(
          "minTextPageFraction must be between 0 and 1, got " + minTextPageFraction);
    }
  }

  public static ExtractionSettings defaults() {
    return new ExtractionSettings(Duration.ofMinutes(2), 20_000, false, 8, 0.25);
  }

  public ExtractionSettings withTimeout(Duration newTimeout) {
    return new ExtractionSettings(
        newTimeout, maxPages, honourPermissions, minTextCharacters, minTextPageFraction);
  }

  public ExtractionSettings withMaxPages(int pages) {
    return new ExtractionSettings(
        timeout, pages, honourPermissions, minTextCharacters, minTextPageFraction);
  }

  public ExtractionSettings withHonourPermissions(boolean honour) {
    return new ExtractionSettings(
        timeout, maxPages, honour, minTextCharacters, minTextPageFraction);
  }
}
