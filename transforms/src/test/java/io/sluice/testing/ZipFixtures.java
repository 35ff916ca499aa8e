package io.sluice.testing;

import io.sluice.samples.SampleCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Hostile ZIP archives built in memory, so tests need nothing from outside: path traversal, a
 * decompression bomb, an empty archive, repeated member names and a truncated archive.
 */
public final class ZipFixtures {
  private ZipFixtures() {}

  /** One safe PDF member and traversal members in every spelling the corpus knows. */
  public static byte[] zipSlip(byte[] pdf) throws IOException {
    Map<String, byte[]> entries = new java.util.HashMap<>();
    entries.put("safe/ok.pdf", pdf);
    entries.put("../../evil.pdf", pdf);
    entries.put("/tmp/evil-absolute.pdf", pdf);
    entries.put("safe/..\\..\\evil-backslash.pdf", pdf);
    return SampleCorpus.zip(entries);
  }

  /** A member of {@code megabytes} MiB of zeros named like a PDF: a ratio far above 100:1. */
  public static byte[] bomb(int megabytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new ZipEntry("zeros.pdf"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < megabytes; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  public static byte[] empty() throws IOException {
    return SampleCorpus.zip(Map.of());
  }

  /**
   * Two different members both named {@code report.pdf}, and {@code REPORT.pdf} (a clash on
   * case-insensitive file systems). Commons Compress writes repeated names, as some tools do.
   */
  public static byte[] duplicateNames(byte[] first, byte[] second) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      for (Object[] member :
          new Object[][] {{"report.pdf", first}, {"report.pdf", second}, {"REPORT.pdf", first}}) {
        zip.putArchiveEntry(new ZipArchiveEntry((String) member[0]));
        zip.write((byte[]) member[1]);
        zip.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The first {@code fraction} of an archive's bytes: no central directory, a member cut off. */
  public static byte[] truncated(byte[] archive, double fraction) {
    return java.util.Arrays.copyOf(archive, (int) (archive.length * fraction));
  }
}
