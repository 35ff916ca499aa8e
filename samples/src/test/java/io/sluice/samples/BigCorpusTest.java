package io.sluice.samples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BigCorpusTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static List<Path> pdfs(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  public void copiesReachBothMinimaAndEachIsANewDocumentWithTheSamePagesAndText() throws Exception {
    Path source = folder.newFolder("source").toPath();
    SampleCorpus.writeManuals(source, 3, 4);
    Path target = folder.getRoot().toPath().resolve("big");

    BigCorpus.Folder big = BigCorpus.assemble(source, target, 7, 30);

    // 3 PDFs of 4 pages: 7 files need 3 copies, 30 pages need 3 (36 pages).
    assertThat(big.files(), equalTo(9));
    assertThat(big.pages(), equalTo(36L));
    List<Path> copies = pdfs(target);
    assertThat(copies.size(), equalTo(9));
    Set<String> digests =
        copies.stream()
            .map(
                file -> {
                  try {
                    return sha256(file);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .collect(Collectors.toSet());
    assertThat("every copy has bytes of its own", digests.size(), equalTo(9));
    Path original = pdfs(source).get(0);
    String name = original.getFileName().toString().replace(".pdf", "-2.pdf");
    try (PDDocument copy = Loader.loadPDF(target.resolve(name).toFile());
        PDDocument first = Loader.loadPDF(original.toFile())) {
      assertThat(copy.getNumberOfPages(), equalTo(4));
      assertThat(
          new PDFTextStripper().getText(copy), equalTo(new PDFTextStripper().getText(first)));
    }
  }

  @Test
  public void withoutACorpusGeneratedManualsMakeUpTheFolder() throws Exception {
    Path target = folder.getRoot().toPath().resolve("generated");

    BigCorpus.Folder big = BigCorpus.assemble(null, target, 2, 150);

    assertThat(big.files(), equalTo(3));
    assertThat(big.pages(), equalTo(3L * BigCorpus.GENERATED_PAGES));
    assertThat(pdfs(target).size(), equalTo(3));
  }
}
