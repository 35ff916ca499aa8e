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
 * makes a mostly scanned document, with text on one page in six, what it is: an OCR candidate, not
 * a document whose one legible page stands for the whole.
 *
 * <p>Documents are parsed in separate parser processes, at most {@code parserProcesses} per JVM (0:
 * one per core), each with a heap of {@code parserHeapMb}: a document that needs more is {@code
 * too_large}, and the pipeline's own heap never holds a parse.
 */
public record ExtractionSettings(
    Duration timeout,
    int maxPages,
    boolean honourPermissions,
    int minTextCharacters,
    double minTextPageFraction,
    int parserHeapMb,
    int parserProcesses)
    implements Serializable {

  /** Below this a parser process cannot load PDFBox and its fonts. */
  static final int MIN_PARSER_HEAP_MB = 32;

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
    if (parserHeapMb < MIN_PARSER_HEAP_MB) {
      throw new IllegalArgumentException(
          "parserHeapMb must be at least " + MIN_PARSER_HEAP_MB + ", got " + parserHeapMb);
    }
    if (parserProcesses < 0) {
      throw new IllegalArgumentException(
          "parserProcesses must be 0 (one per core) or more, got " + parserProcesses);
    }
  }

  public static ExtractionSettings defaults() {
    return new ExtractionSettings(Duration.ofMinutes(2), 20_000, false, 8, 0.25, 768, 0);
  }

  public ExtractionSettings withTimeout(Duration newTimeout) {
    return new ExtractionSettings(
        newTimeout,
        maxPages,
        honourPermissions,
        minTextCharacters,
        minTextPageFraction,
        parserHeapMb,
        parserProcesses);
  }

  public ExtractionSettings withMaxPages(int pages) {
    return new ExtractionSettings(
        timeout,
        pages,
        honourPermissions,
        minTextCharacters,
        minTextPageFraction,
        parserHeapMb,
        parserProcesses);
  }

  public ExtractionSettings withHonourPermissions(boolean honour) {
    return new ExtractionSettings(
        timeout,
        maxPages,
        honour,
        minTextCharacters,
        minTextPageFraction,
        parserHeapMb,
        parserProcesses);
  }

  public ExtractionSettings withParserHeapMb(int heapMb) {
    return new ExtractionSettings(
        timeout,
        maxPages,
        honourPermissions,
        minTextCharacters,
        minTextPageFraction,
        heapMb,
        parserProcesses);
  }

  public ExtractionSettings withParserProcesses(int processes) {
    return new ExtractionSettings(
        timeout,
        maxPages,
        honourPermissions,
        minTextCharacters,
        minTextPageFraction,
        parserHeapMb,
        processes);
  }

  /** How many parser processes may run at once in one JVM. */
  int effectiveParserProcesses() {
    return parserProcesses > 0 ? parserProcesses : Runtime.getRuntime().availableProcessors();
  }
}
