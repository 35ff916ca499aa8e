package io.sluice.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * A big folder for measuring a long run on one machine: a corpus's PDFs copied until the folder
 * holds at least so many files and pages. Each copy ends with a comment of its own after the file's
 * last line ({@code %sluice-copy N}), which readers ignore and which changes the bytes, so every
 * copy is a document of its own to sluice (its own doc_id), with the original's pages and text.
 * Without a corpus, generated manuals of {@link #GENERATED_PAGES} pages make up the folder.
 */
public final class BigCorpus {
  /** Pages of each generated manual when no corpus is given. */
  static final int GENERATED_PAGES = 70;

  /** What was assembled: files and pages. */
  public record Folder(Path path, int files, long pages) {}

  private BigCorpus() {}

  /** Copies of the PDFs in {@code source} (or generated manuals when it is null) into target. */
  public static Folder assemble(Path source, Path target, int minFiles, long minPages)
      throws IOException {
    Files.createDirectories(target);
    if (source == null) {
      int manuals = (int) Math.max(minFiles, (minPages + GENERATED_PAGES - 1) / GENERATED_PAGES);
      SampleCorpus.writeManuals(target, manuals, GENERATED_PAGES);
      return new Folder(target, manuals, (long) manuals * GENERATED_PAGES);
    }
    List<Path> pdfs = pdfs(source);
    long pagesPerPass = 0;
    for (Path pdf : pdfs) {
      pagesPerPass += pages(pdf);
    }
    if (pdfs.isEmpty() || pagesPerPass == 0) {
      throw new IllegalArgumentException(source + " holds no PDF with pages to copy");
    }
    int copies =
        (int)
            Math.max(
                (minFiles + pdfs.size() - 1) / pdfs.size(),
                (minPages + pagesPerPass - 1) / pagesPerPass);
    for (int copy = 1; copy <= copies; copy++) {
      byte[] comment = ("\n%sluice-copy " + copy + "\n").getBytes(StandardCharsets.US_ASCII);
      for (Path pdf : pdfs) {
        String name = pdf.getFileName().toString();
        Path destination =
            target.resolve(name.substring(0, name.length() - 4) + "-" + copy + ".pdf");
        byte[] original = Files.readAllBytes(pdf);
        byte[] copied = new byte[original.length + comment.length];
        System.arraycopy(original, 0, copied, 0, original.length);
        System.arraycopy(comment, 0, copied, original.length, comment.length);
        Files.write(destination, copied);
      }
    }
    return new Folder(target, copies * pdfs.size(), copies * pagesPerPass);
  }

  private static List<Path> pdfs(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return new ArrayList<>(
          files.filter(file -> file.toString().endsWith(".pdf")).sorted().toList());
    }
  }

  /** A PDF's page count; a file PDFBox cannot open counts none (it is still copied). */
  private static int pages(Path pdf) {
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      return document.getNumberOfPages();
    } catch (IOException e) {
      return 0;
    }
  }
}
