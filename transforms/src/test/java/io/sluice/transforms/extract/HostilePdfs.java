package io.sluice.transforms.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * PDFs built byte by byte to attack a parser's memory: small on disk, enormous once inflated.
 * Written by hand because no PDF library would write them.
 */
public final class HostilePdfs {
  private static final int BLOCK = 1 << 20;

  private HostilePdfs() {}

  /** One page whose content stream shows a single string of {@code inflatedBytes} letters. */
  public static byte[] giantString(long inflatedBytes) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate =
        new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION))) {
      deflate.write("BT /F1 12 Tf 72 720 Td (".getBytes(StandardCharsets.US_ASCII));
      byte[] letters = new byte[BLOCK];
      Arrays.fill(letters, (byte) 'A');
      for (long written = 0; written < inflatedBytes; written += BLOCK) {
        deflate.write(letters, 0, (int) Math.min(BLOCK, inflatedBytes - written));
      }
      deflate.write(") Tj ET".getBytes(StandardCharsets.US_ASCII));
    }
    return onePage(
        "/Font << /F1 5 0 R >>",
        compressed.toByteArray(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  }

  /**
   * One page with a line of text and a {@code side} by {@code side} RGB image of zeros: several
   * gigabytes as pixels, a few megabytes compressed.
   */
  public static byte[] imageBomb(int side, String text) throws IOException {
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate =
        new DeflaterOutputStream(pixels, new Deflater(Deflater.BEST_COMPRESSION))) {
      byte[] zeros = new byte[BLOCK];
      long total = 3L * side * side;
      for (long written = 0; written < total; written += BLOCK) {
        deflate.write(zeros, 0, (int) Math.min(BLOCK, total - written));
      }
    }
    String content =
        "q 500 0 0 500 50 200 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
    ByteArrayOutputStream compressedContent = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressedContent)) {
      deflate.write(content.getBytes(StandardCharsets.US_ASCII));
    }
    return onePage(
        "/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>",
        compressedContent.toByteArray(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        streamObject(
            "/Type /XObject /Subtype /Image /Width "
                + side
                + " /Height "
                + side
                + " /ColorSpace /DeviceRGB /BitsPerComponent 8",
            pixels.toByteArray()));
  }

  /** Catalog 1, pages 2, page 3, content 4, then {@code more} objects numbered from 5. */
  private static byte[] onePage(String resources, byte[] flateContent, Object... more)
      throws IOException {
    List<Object> objects =
        new ArrayList<>(
            List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << "
                    + resources
                    + " >> /Contents 4 0 R >>",
                streamObject("", flateContent)));
    objects.addAll(List.of(more));
    return document(objects);
  }

  private static byte[] streamObject(String dictionary, byte[] flateData) {
    ByteArrayOutputStream object = new ByteArrayOutputStream();
    object.writeBytes(
        ("<< " + dictionary + " /Filter /FlateDecode /Length " + flateData.length + " >>\nstream\n")
            .getBytes(StandardCharsets.US_ASCII));
    object.writeBytes(flateData);
    object.writeBytes("\nendstream".getBytes(StandardCharsets.US_ASCII));
    return object.toByteArray();
  }

  private static byte[] document(List<Object> objects) {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    pdf.writeBytes("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(pdf.size());
      Object body = objects.get(i);
      byte[] bytes =
          body instanceof byte[] raw ? raw : body.toString().getBytes(StandardCharsets.US_ASCII);
      pdf.writeBytes(((i + 1) + " 0 obj\n").getBytes(StandardCharsets.US_ASCII));
      pdf.writeBytes(bytes);
      pdf.writeBytes("\nendobj\n".getBytes(StandardCharsets.US_ASCII));
    }
    int xref = pdf.size();
    StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n");
    table.append("0000000000 65535 f \n");
    offsets.forEach(offset -> table.append(String.format("%010d 00000 n \n", offset)));
    table
        .append("trailer\n<< /Size ")
        .append(objects.size() + 1)
        .append(" /Root 1 0 R >>\nstartxref\n")
        .append(xref)
        .append("\n%%EOF\n");
    pdf.writeBytes(table.toString().getBytes(StandardCharsets.US_ASCII));
    return pdf.toByteArray();
  }
}
