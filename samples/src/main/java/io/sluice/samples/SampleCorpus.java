package io.sluice.samples;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * The sample documents sluice generates for its zero-setup run and its tests, so that neither needs
 * anything from outside: multi-page English, three scripts, an image-only scan, an encrypted file,
 * a file with restricted permissions, a damaged file, a file that is not a PDF, and a ZIP archive
 * with a nested archive, a copy of another sample and a text file.
 *
 * <p>The unencrypted files are byte-for-byte the same on every generation; the encrypted ones carry
 * random salts, as encryption must.
 */
public final class SampleCorpus {
  /** The generated text comes from a fixed seed so the samples are reproducible. */
  private static final long SEED = 20261122L;

  private static final float FONT_SIZE = 11;
  private static final float MARGIN = 56;
  private static final String FONT_RESOURCE =
      "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

  private SampleCorpus() {}

  /** Writes the samples into {@code directory} (created if missing) and returns their paths. */
  public static List<Path> writeTo(Path directory) throws IOException {
    Files.createDirectories(directory);
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] handbook = textPdf("Canal handbook", handbookPages(6, new Random(SEED)));
    files.put("handbook.pdf", handbook);
    files.put("multilingual.pdf", textPdf("Three scripts", multilingualPages()));
    files.put("scanned.pdf", imageOnlyPdf());
    files.put("locked.pdf", encryptedPdf("sluice-user", "sluice-owner", new AccessPermission()));
    AccessPermission noCopying = new AccessPermission();
    noCopying.setCanExtractContent(false);
    files.put("restricted.pdf", encryptedPdf("", "sluice-owner", noCopying));
    files.put("broken.pdf", brokenPdf());
    files.put(
        "not-a-pdf.pdf",
        "<!DOCTYPE html><html><body><p>Saved from a browser.</p></body></html>\n"
            .getBytes(StandardCharsets.UTF_8));
    byte[] appendix = textPdf("Appendix", handbookPages(2, new Random(SEED + 1)));
    files.put(
        "bundle.zip",
        zip(
            Map.of(
                "archive/handbook.pdf", handbook,
                "archive/notes.txt",
                    "Shipping notes, not a PDF.\n".getBytes(StandardCharsets.UTF_8),
                "archive/inner.zip", zip(Map.of("appendix.pdf", appendix)))));
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = directory.resolve(file.getKey());
      Files.write(path, file.getValue());
      written.add(path);
    }
    return written;
  }

  /**
   * Writes {@code count} manuals of {@code pages} pages of English each ({@code manual-001.pdf} …),
   * different from one another and the same on every call: a corpus of a chosen size for resume
   * tests and benchmarks.
   */
  public static List<Path> writeManuals(Path directory, int count, int pages) throws IOException {
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Path path = directory.resolve(String.format("manual-%03d.pdf", i));
      Files.write(path, textPdf("Manual " + i, handbookPages(pages, new Random(SEED + 1000 + i))));
      written.add(path);
    }
    return written;
  }

  /** A text PDF with one page per entry, lines wrapped to the page width. */
  public static byte[] textPdf(String title, List<String> pages) throws IOException {
    try (PDDocument document = new PDDocument()) {
      document.getDocumentInformation().setTitle(title);
      PDType0Font font;
      try (InputStream ttf = SampleCorpus.class.getResourceAsStream(FONT_RESOURCE)) {
        font = PDType0Font.load(document, ttf);
      }
      for (String text : pages) {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        float width = page.getMediaBox().getWidth() - 2 * MARGIN;
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(font, FONT_SIZE);
          content.setLeading(FONT_SIZE * 1.4f);
          content.newLineAtOffset(MARGIN, page.getMediaBox().getHeight() - MARGIN);
          for (String line : wrap(text, font, width)) {
            content.showText(line);
            content.newLine();
          }
          content.endText();
        }
      }
      return save(document);
    }
  }

  private static List<String> wrap(String text, PDType0Font font, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n")) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" ")) {
        String candidate = line.isEmpty() ? word : line + " " + word;
        if (font.getStringWidth(candidate) / 1000 * FONT_SIZE > width && !line.isEmpty()) {
          lines.add(line.toString());
          line = new StringBuilder(word);
        } else {
          line = new StringBuilder(candidate);
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static List<String> handbookPages(int count, Random random) {
    String[] subjects = {
      "The lock keeper",
      "A sluice gate",
      "The upper pound",
      "Each barge",
      "The weir",
      "A culvert",
      "The towpath crew",
      "The water authority"
    };
    String[] verbs = {
      "inspects", "controls", "drains", "records", "raises", "lowers", "repairs", "measures"
    };
    String[] objects = {
      "the water level before dawn",
      "the paddles on the lower gate",
      "silt that gathers near the cill",
      "every passage in the ledger",
      "the flow after heavy rain",
      "the hinges and the balance beams",
      "the depth of the channel",
      "the spillway in winter"
    };
    String[] clauses = {
      "so that no boat waits longer than it must",
      "because floods arrive quickly",
      "as the regulations of the canal company require",
      "before the first boats arrive",
      "while the reservoir refills",
      "to keep the navigation open all year"
    };
    List<String> pages = new ArrayList<>();
    for (int page = 1; page <= count; page++) {
      StringBuilder text = new StringBuilder("Chapter " + page + "\n");
      for (int paragraph = 0; paragraph < 4; paragraph++) {
        for (int sentence = 0; sentence < 5; sentence++) {
          text.append(subjects[random.nextInt(subjects.length)])
              .append(' ')
              .append(verbs[random.nextInt(verbs.length)])
              .append(' ')
              .append(objects[random.nextInt(objects.length)])
              .append(' ')
              .append(clauses[random.nextInt(clauses.length)])
              .append(". ");
        }
        text.append('\n');
      }
      pages.add(text.toString().strip());
    }
    return pages;
  }

  private static List<String> multilingualPages() {
    return List.of(
        "English. Canals carried coal, grain and timber long before the railways came. "
            + "A lock lifts a boat from one level of water to the next.",
        "Ελληνικά. Τα κανάλια μετέφεραν κάρβουνο, σιτάρι και ξυλεία πολύ πριν έρθουν οι "
            + "σιδηρόδρομοι. Ένας υδατοφράκτης ανυψώνει ένα σκάφος από το ένα επίπεδο στο άλλο.",
        "Русский. Каналы перевозили уголь, зерно и лес задолго до появления железных дорог. "
            + "Шлюз поднимает судно с одного уровня воды на другой.");
  }

  /** A page that is only a picture: a valid PDF with no text layer, an OCR candidate. */
  private static byte[] imageOnlyPdf() throws IOException {
    BufferedImage image = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, 400, 200);
    graphics.setColor(Color.DARK_GRAY);
    for (int row = 0; row < 8; row++) {
      graphics.fillRect(20, 20 + row * 22, 300 + (row * 37) % 60, 10);
    }
    graphics.dispose();
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      PDImageXObject picture = LosslessFactory.createFromImage(document, image);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.drawImage(picture, MARGIN, 500, 400, 200);
      }
      return save(document);
    }
  }

  private static byte[] encryptedPdf(
      String userPassword, String ownerPassword, AccessPermission permission) throws IOException {
    byte[] plain =
        textPdf(
            "Protected",
            List.of(
                "This page is protected. Only readers with the password may see the canal accounts."));
    try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(plain)) {
      StandardProtectionPolicy policy =
          new StandardProtectionPolicy(ownerPassword, userPassword, permission);
      policy.setEncryptionKeyLength(128);
      document.protect(policy);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    }
  }

  /** A PDF header and the start of a catalog, then the file breaks off: damaged beyond repair. */
  private static byte[] brokenPdf() {
    return ("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages "
            + "/Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Saves with a fixed file identifier so the same content always gives the same bytes. */
  private static byte[] save(PDDocument document) throws IOException {
    COSArray id = new COSArray();
    id.add(new COSString("sluice-sample"));
    id.add(new COSString("sluice-sample"));
    document.getDocument().getTrailer().setItem(COSName.ID, id);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    document.save(out);
    return out.toByteArray();
  }

  /** A ZIP archive with fixed entry times, entries in name order, names exactly as given. */
  public static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String name : entries.keySet().stream().sorted().toList()) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0);
        zip.putNextEntry(entry);
        zip.write(entries.get(name));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
