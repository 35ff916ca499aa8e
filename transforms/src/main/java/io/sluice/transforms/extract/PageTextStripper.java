package io.sluice.transforms.extract;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDFBox's text stripper, keeping each page's text apart instead of one stream for all pages.
 * There is exactly one entry per page, an empty one for a page without content (PDFBox does not
 * announce such pages), so list positions are page numbers.
 */
final class PageTextStripper extends PDFTextStripper {
  private final StringWriter output = new StringWriter();
  private final List<String> pages = new ArrayList<>();
  private int pageStart;

  List<String> pageTexts(PDDocument document) throws IOException {
    writeText(document, output);
    return pages;
  }

  @Override
  public void processPage(PDPage page) throws IOException {
    int before = pages.size();
    super.processPage(page);
    if (pages.size() == before) {
      pages.add("");
    }
  }

  @Override
  protected void startPage(PDPage page) throws IOException {
    pageStart = output.getBuffer().length();
    super.startPage(page);
  }

  @Override
  protected void endPage(PDPage page) throws IOException {
    super.endPage(page);
    pages.add(output.getBuffer().substring(pageStart));
  }
}
