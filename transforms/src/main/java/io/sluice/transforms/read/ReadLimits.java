package io.sluice.transforms.read;

import java.io.Serializable;

/**
 * Bounds on what reading a source may cost. A PDF larger than {@code maxDocumentBytes} is refused
 * as {@code too_large}; ZIP archives are followed {@code maxArchiveDepth} levels deep, with at most
 * {@code maxArchiveEntries} entries and {@code maxArchiveBytes} inflated bytes per top-level
 * archive, and a member whose inflated size passes {@code maxCompressionRatio} times its compressed
 * size (once past {@link #RATIO_GRACE_BYTES}) is a decompression bomb.
 */
public record ReadLimits(
    long maxDocumentBytes,
    int maxArchiveDepth,
    int maxArchiveEntries,
    long maxArchiveBytes,
    int maxCompressionRatio)
    implements Serializable {

  /** Small members may compress very well (a page of blanks); the ratio is judged past this. */
  public static final long RATIO_GRACE_BYTES = 1L << 20;

  public ReadLimits {
    requirePositive("maxDocumentBytes", maxDocumentBytes);
    requirePositive("maxArchiveDepth", maxArchiveDepth);
    requirePositive("maxArchiveEntries", maxArchiveEntries);
    requirePositive("maxArchiveBytes", maxArchiveBytes);
    requirePositive("maxCompressionRatio", maxCompressionRatio);
  }

  public static ReadLimits defaults() {
    return new ReadLimits(256L << 20, 3, 10_000, 2L << 30, 100);
  }

  public ReadLimits withMaxDocumentBytes(long bytes) {
    return new ReadLimits(
        bytes, maxArchiveDepth, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio);
  }

  public ReadLimits withMaxArchiveDepth(int depth) {
    return new ReadLimits(
        maxDocumentBytes, depth, maxArchiveEntries, maxArchiveBytes, maxCompressionRatio);
  }

  public ReadLimits withMaxArchiveEntries(int entries) {
    return new ReadLimits(
        maxDocumentBytes, maxArchiveDepth, entries, maxArchiveBytes, maxCompressionRatio);
  }

  public ReadLimits withMaxArchiveBytes(long bytes) {
    return new ReadLimits(
        maxDocumentBytes, maxArchiveDepth, maxArchiveEntries, bytes, maxCompressionRatio);
  }

  public ReadLimits withMaxCompressionRatio(int ratio) {
    return new ReadLimits(
        maxDocumentBytes, maxArchiveDepth, maxArchiveEntries, maxArchiveBytes, ratio);
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
