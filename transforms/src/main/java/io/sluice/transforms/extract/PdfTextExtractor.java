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
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdfparser.PDFParser;
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
 *
 * <p>A document is parsed strictly first. When that fails PDFBox's lenient parser repairs what it
 * can; a repaired (or structurally unsound) document that still yields text is extracted and its
 * damage recorded, one that yields none is {@code corrupt} rather than an OCR candidate.
 */
public final class PdfTextExtractor {
  private static final int HEADER_WINDOW = 1024;
  private static final long MAIN_MEMORY_FOR_PARSING = 32L << 20;

  private final ExtractionSettings settings;

  public PdfTextExtractor(ExtractionSettings settings) {
    this.settings = settings;
  }

  /**
   * The document with its metadata and page texts, one per page; the page texts are empty when the
   * document has no usable text layer.
   */
  public DocumentRecord extract(SourceDocument source) throws ExtractionException {
    byte[] content = source.content();
    requirePdfHeader(content);
    try {
      Parsed parsed = parse(content);
      try (PDDocument document = parsed.document()) {
        String damage = parsed.damage() != null ? parsed.damage() : structuralDamage(document);
        AccessPermission permission = document.getCurrentAccessPermission();
        if (settings.honourPermissions() && !permission.canExtractContent()) {
          throw new ExtractionException(
              FailureClass.REJECTED,
              "the document's permissions forbid text extraction (honourPermissions is on)");
        }
        List<PDPage> pageList = pages(document);
        int pages = pageList.size();
        List<String> texts = new ArrayList<>(new PageTextStripper().pageTexts(document, pageList));
        texts.replaceAll(TextSanitizer::clean);
        boolean usable = hasUsableText(texts, pages);
        if (!usable && damage != null) {
          throw new ExtractionException(
              FailureClass.CORRUPT, "damaged PDF (" + damage + ") and no text could be recovered");
        }
        return DocumentRecord.extracted(
            source.source(),
            metadata(document, pages, permission, damage),
            usable ? texts : List.of());
      }
    } catch (IOException | RuntimeException | StackOverflowError e) {
      if (!containsObject(content)) {
        throw new ExtractionException(
            FailureClass.NOT_PDF, "has a PDF header but holds no PDF objects");
      }
      throw new ExtractionException(FailureClass.CORRUPT, "PDF cannot be parsed: " + describe(e));
    }
  }

  /** Enough letters and digits overall, and letters on enough of the pages. */
  private boolean hasUsableText(List<String> pageTexts, int pages) {
    long characters = 0;
    int pagesWithLetters = 0;
    for (String page : pageTexts) {
      characters += page.codePoints().filter(Character::isLetterOrDigit).count();
      if (page.codePoints().anyMatch(Character::isLetter)) {
        pagesWithLetters++;
      }
    }
    return characters >= settings.minTextCharacters()
        && pagesWithLetters >= settings.minTextPageFraction() * pages;
  }

  private record Parsed(PDDocument document, String damage) {}

  private static Parsed parse(byte[] content) throws IOException, ExtractionException {
    try {
      return new Parsed(parser(content).parse(false), null);
    } catch (IOException | RuntimeException strictFailure) {
      rethrowIfEncrypted(strictFailure);
      try {
        return new Parsed(parser(content).parse(true), "needed repair: " + describe(strictFailure));
      } catch (IOException | RuntimeException lenientFailure) {
        rethrowIfEncrypted(lenientFailure);
        throw lenientFailure;
      }
    }
  }

  private static PDFParser parser(byte[] content) throws IOException {
    return new PDFParser(
        new RandomAccessReadBuffer(content),
        "",
        null,
        null,
        MemoryUsageSetting.setupMixed(MAIN_MEMORY_FOR_PARSING).streamCache);
  }

  private static void rethrowIfEncrypted(Exception e) throws ExtractionException {
    if (e instanceof InvalidPasswordException) {
      throw new ExtractionException(
          FailureClass.ENCRYPTED,
          "encrypted: a password is required (the empty password was tried)");
    }
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("security handler")
        || message.contains("pubsec")
        || message.contains("decrypt")
        || message.contains("keystore")) {
      throw new ExtractionException(FailureClass.ENCRYPTED, "encrypted: " + describe(e));
    }
  }

  /** What is wrong with a document's skeleton that lenient parsing papers over, or null. */
  private static String structuralDamage(PDDocument document) {
    COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
    if (!COSName.CATALOG.equals(catalog.getCOSName(COSName.TYPE))) {
      return "the trailer's /Root is not a catalog";
    }
    COSBase pageTree = catalog.getDictionaryObject(COSName.PAGES);
    if (pageTree instanceof COSDictionary pages) {
      COSBase count = pages.getDictionaryObject(COSName.COUNT);
      if (count instanceof COSObject indirect) {
        count = indirect.getObject();
      }
      if (!(count instanceof COSNumber)) {
        return "the page tree's /Count is not a number";
      }
    }
    return null;
  }

  private static void requirePdfHeader(byte[] content) throws ExtractionException {
    if (content.length == 0) {
      throw new ExtractionException(FailureClass.NOT_PDF, "empty file (0 bytes)");
    }
    String head =
        new String(
            content, 0, Math.min(content.length, HEADER_WINDOW), StandardCharsets.ISO_8859_1);
    if (!head.contains("%PDF-")) {
      throw new ExtractionException(FailureClass.NOT_PDF, "not a PDF: " + sniff(content, head));
    }
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
    if (lower.startsWith("<!doctype html") || lower.contains("<html")) {
      return "an HTML page";
    }
    return "no %PDF- header in the first " + HEADER_WINDOW + " bytes";
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

  /** The pages the page tree really holds, not what its /Count claims. */
  private List<PDPage> pages(PDDocument document) throws ExtractionException {
    List<PDPage> pages = new ArrayList<>();
    for (PDPage page : document.getPages()) {
      pages.add(page);
      if (pages.size() > settings.maxPages()) {
        throw new ExtractionException(
            FailureClass.TOO_LARGE, "more than " + settings.maxPages() + " pages");
      }
    }
    return pages;
  }

  private static DocumentMetadata metadata(
      PDDocument document, int pages, AccessPermission permission, String damage) {
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
        permission.canModify(),
        TextSanitizer.clean(damage));
  }

  /** A metadata string, or null when missing or unreadable: metadata never fails a document. */
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
