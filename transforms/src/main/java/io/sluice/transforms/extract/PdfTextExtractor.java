package io.sluice.transforms.extract;

import io.sluice.transforms.model.DocumentMetadata;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.SourceDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Extracts a PDF's text page by page with PDFBox, with its metadata and permissions, and says
 * precisely why when it cannot: {@code not_pdf}, {@code encrypted} (after trying the empty
 * password), {@code corrupt}, {@code too_large}. Parsed objects beyond a small in-memory budget are
 * cached in temporary files, so a large manual does not have to fit in the heap.
 */
public final class PdfTextExtractor {
  private static final int HEADER_WINDOW = 1024;
  private static final long MAIN_MEMORY_FOR_PARSING = 32L << 20;

  private final ExtractionSettings settings;

  public PdfTextExtractor(ExtractionSettings settings) {
    this.settings = settings;
  }

  /** The document with metadata and page texts; it has usable text when {@link #hasText}. */
  public DocumentRecord extract(SourceDocument source) throws ExtractionException {
    byte[] content = source.content();
    requirePdfHeader(content);
    try (PDDocument document = open(content)) {
      AccessPermission permission = document.getCurrentAccessPermission();
      if (settings.honourPermissions() && !permission.canExtractContent()) {
        throw new ExtractionException(FailureClass.REJECTED,
            "the document's permissions forbid text extraction (honourPermissions is on)");
      }
      int pages = countPages(document);
      List<String> texts = new ArrayList<>(new PageTextStripper().pageTexts(document));
      texts.replaceAll(TextSanitizer::clean);
      return DocumentRecord.extracted(
          source.source(), metadata(document, pages, permission), texts);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      if (!containsObject(content)) {
        throw new ExtractionException(FailureClass.NOT_PDF,
            "has a PDF header but holds no PDF objects");
      }
      throw new ExtractionException(FailureClass.CORRUPT, "PDF cannot be parsed: " + describe(e));
    }
  }

  /** Whether the pages carry enough letters and digits to be worth chunking and embedding. */
  public boolean hasText(List<String> pageTexts) {
    long characters = 0;
    for (String page : pageTexts) {
      characters += page.codePoints().filter(Character::isLetterOrDigit).count();
      if (characters >= settings.minTextCharacters()) {
        return true;
      }
    }
    return false;
  }

  private static void requirePdfHeader(byte[] content) throws ExtractionException {
    if (content.length == 0) {
      throw new ExtractionException(FailureClass.NOT_PDF, "empty file (0 bytes)");
    }
    String head =
        new String(content, 0, Math.min(content.length, HEADER_WINDOW), StandardCharsets.ISO_8859_1);
    if (!head.contains("%PDF-")) {
      throw new ExtractionException(FailureClass.NOT_PDF, "not a PDF: " + sniff(content, head));
    }
  }

  /** Whether the bytes hold an indirect object ("n g obj") anywhere, however damaged the rest. */
  private static boolean containsObject(byte[] content) {
    byte[] keyword = " obj".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + keyword.length <= content.length; i++) {
      for (int j = 0; j < keyword.length; j++) {
        if (content[i + j] != keyword[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String sniff(byte[] content, String head) {
    String lower = head.toLowerCase(Locale.ROOT).stripLeading();
    if (content.length >= 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
      return "gzip-compressed data";
    }
    if (head.startsWith("\u0089PNG")) {
      return "a PNG image";
    }
    if (head.startsWith("PK\u0003\u0004")) {
      return "a ZIP archive";
    }
    if (head.startsWith("%!PS")) {
      return "a PostScript file";
    }
    if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.contains("<html")) {
      return "an HTML page";
    }
    return "no %PDF- header in the first " + HEADER_WINDOW + " bytes";
  }

  private PDDocument open(byte[] content) throws IOException, ExtractionException {
    try {
      return Loader.loadPDF(content, "", null, null,
          MemoryUsageSetting.setupMixed(MAIN_MEMORY_FOR_PARSING).streamCache);
    } catch (InvalidPasswordException e) {
      throw new ExtractionException(FailureClass.ENCRYPTED,
          "encrypted: a password is required (the empty password was tried)");
    } catch (IOException e) {
      if (isEncryptionProblem(e)) {
        throw new ExtractionException(FailureClass.ENCRYPTED, "encrypted: " + describe(e));
      }
      throw e;
    }
  }

  private static boolean isEncryptionProblem(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("security handler")
        || message.contains("pubsec")
        || message.contains("decrypt")
        || message.contains("keystore");
  }

  /** The pages the page tree really holds, not what its /Count claims. */
  private int countPages(PDDocument document) throws ExtractionException {
    int pages = 0;
    for (PDPage ignored : document.getPages()) {
      if (++pages > settings.maxPages()) {
        throw new ExtractionException(FailureClass.TOO_LARGE,
            "more than " + settings.maxPages() + " pages");
      }
    }
    return pages;
  }

  private static DocumentMetadata metadata(
      PDDocument document, int pages, AccessPermission permission) {
    PDDocumentInformation info = document.getDocumentInformation();
    return new DocumentMetadata(
        pages,
        Float.toString(document.getVersion()),
        field(info::getTitle),
        field(info::getAuthor),
        field(info::getSubject),
        field(info::getKeywords),
        field(info::getCreator),
        field(info::getProducer),
        date(info::getCreationDate),
        date(info::getModificationDate),
        document.isEncrypted(),
        permission.canExtractContent(),
        permission.canExtractForAccessibility(),
        permission.canPrint(),
        permission.canModify());
  }

  /** A metadata string, or null when it is missing or unreadable: metadata never fails a document. */
  private static String field(Supplier<String> getter) {
    try {
      String value = TextSanitizer.clean(getter.get());
      return value == null || value.isBlank() ? null : value.strip();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String date(Supplier<Calendar> getter) {
    try {
      Calendar calendar = getter.get();
      return calendar == null ? null : calendar.toInstant().toString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
