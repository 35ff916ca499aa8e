package io.sluice.transforms.extract;

import java.io.Serializable;
import java.time.Duration;

/**
 * How extraction behaves. {@code timeout} abandons a document that takes longer; {@code maxPages}
 * refuses documents with more pages; with {@code honourPermissions} a document whose permissions
 * forbid text extraction is refused instead of extracted (PDFBox can extract it either way); a
 * document with fewer than {@code minTextCharacters} letters and digits has no usable text layer.
 */
public record ExtractionSettings(
    Duration timeout, int maxPages, boolean honourPermissions, int minTextCharacters)
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
  }

  public static ExtractionSettings defaults() {
    return new ExtractionSettings(Duration.ofMinutes(2), 20_000, false, 8);
  }

  public ExtractionSettings withTimeout(Duration newTimeout) {
    return new ExtractionSettings(newTimeout, maxPages, honourPermissions, minTextCharacters);
  }

  public ExtractionSettings withMaxPages(int pages) {
    return new ExtractionSettings(timeout, pages, honourPermissions, minTextCharacters);
  }

  public ExtractionSettings withHonourPermissions(boolean honour) {
    return new ExtractionSettings(timeout, maxPages, honour, minTextCharacters);
  }

  public ExtractionSettings withMinTextCharacters(int characters) {
    return new ExtractionSettings(timeout, maxPages, honourPermissions, characters);
  }
}
