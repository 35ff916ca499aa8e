package io.sluice.transforms.extract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.Assert.assertThrows;

import io.sluice.samples.SampleCorpus;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PdfTextExtractorTest {
  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  private static Path samples;
  private final PdfTextExtractor extractor = new PdfTextExtractor(ExtractionSettings.defaults());

  @BeforeClass
  public static void generate() throws IOException {
    samples = FOLDER.getRoot().toPath();
    SampleCorpus.writeTo(samples);
  }

  private static SourceDocument document(String name, byte[] bytes) {
    return new SourceDocument(
        new Source("file:///" + name, Keys.docId(bytes), bytes.length), bytes);
  }

  private static SourceDocument sample(String name) throws IOException {
    return document(name, Files.readAllBytes(samples.resolve(name)));
  }

  private FailureClass failureOf(SourceDocument document) {
    return assertThrows(ExtractionException.class, () -> extractor.extract(document))
        .failureClass();
  }

  @Test
  public void extractsEveryPageWithMetadata() throws Exception {
    DocumentRecord handbook = extractor.extract(sample("handbook.pdf"));
    assertThat(handbook.metadata().pages(), equalTo(6));
    assertThat(handbook.pageTexts().size(), equalTo(6));
    assertThat(handbook.pageTexts().get(2), containsString("Chapter 3"));
    assertThat(handbook.metadata().title(), equalTo("Canal handbook"));
    assertThat(handbook.metadata().damage(), equalTo(null));
  }

  @Test
  public void extractsNonLatinScripts() throws Exception {
    DocumentRecord multilingual = extractor.extract(sample("multilingual.pdf"));
    assertThat(multilingual.pageTexts().get(1), containsString("Ελληνικά"));
    assertThat(multilingual.pageTexts().get(2), containsString("Шлюз поднимает судно"));
  }

  @Test
  public void pagesWithoutContentKeepTheirPlace() throws Exception {
    byte[] withBlank;
    try (PDDocument document =
        Loader.loadPDF(
            SampleCorpus.textPdf("Gap", List.of("First page text.", "Third page text.")))) {
      document.getPages().insertAfter(new PDPage(), document.getPage(0));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      withBlank = out.toByteArray();
    }
    DocumentRecord gap = extractor.extract(document("gap.pdf", withBlank));
    assertThat(gap.pageTexts().size(), equalTo(3));
    assertThat(gap.pageTexts().get(1).strip(), equalTo(""));
    assertThat(gap.pageTexts().get(2), containsString("Third page"));
  }

  @Test
  public void anImageOnlyDocumentHasNoTextLayer() throws Exception {
    DocumentRecord scanned = extractor.extract(sample("scanned.pdf"));
    assertThat(scanned.metadata().pages(), equalTo(1));
    assertThat(scanned.pageTexts(), is(empty()));
  }

  @Test
  public void classifiesWhatCannotBeExtracted() throws Exception {
    assertThat(failureOf(sample("locked.pdf")), equalTo(FailureClass.ENCRYPTED));
    assertThat(failureOf(sample("broken.pdf")), equalTo(FailureClass.CORRUPT));
    assertThat(failureOf(sample("not-a-pdf.pdf")), equalTo(FailureClass.NOT_PDF));
    assertThat(failureOf(document("empty.pdf", new byte[0])), equalTo(FailureClass.NOT_PDF));
    assertThat(
        failureOf(document("header.pdf", "%PDF-1.4\nhello\n%%EOF\n".getBytes())),
        equalTo(FailureClass.NOT_PDF));
  }

  @Test
  public void restrictedPermissionsAreRecordedAndHonouredOnRequest() throws Exception {
    DocumentRecord restricted = extractor.extract(sample("restricted.pdf"));
    assertThat(restricted.metadata().encrypted(), is(true));
    assertThat(restricted.metadata().canExtractContent(), is(false));
    assertThat(restricted.pageTexts().get(0), containsString("protected"));

    PdfTextExtractor honouring =
        new PdfTextExtractor(ExtractionSettings.defaults().withHonourPermissions(true));
    ExtractionException refused =
        assertThrows(ExtractionException.class, () -> honouring.extract(sample("restricted.pdf")));
    assertThat(refused.failureClass(), equalTo(FailureClass.REJECTED));
  }

  @Test
  public void aDocumentWithMorePagesThanAllowedIsTooLarge() throws Exception {
    PdfTextExtractor small = new PdfTextExtractor(ExtractionSettings.defaults().withMaxPages(5));
    ExtractionException tooLarge =
        assertThrows(ExtractionException.class, () -> small.extract(sample("handbook.pdf")));
    assertThat(tooLarge.failureClass(), equalTo(FailureClass.TOO_LARGE));
    assertThat(tooLarge.getMessage(), notNullValue());
  }

  @Test
  public void sanitizerDropsWhatPostgresRefuses() {
    assertThat(TextSanitizer.clean("a\u0000b\u0007c\td\ne\ff"), equalTo("abc\td\ne\ff"));
    assertThat(TextSanitizer.clean("x\ud800y"), equalTo("xy"));
    assertThat(TextSanitizer.clean("ok \ud83d\ude00"), equalTo("ok \ud83d\ude00"));
  }
}
