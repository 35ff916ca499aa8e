package io.sluice.transforms.extract;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDFBox's text stripper, keeping each page's text apart instead of one stream for all pages. There
 * is exactly one entry per page, an empty one for a page without content (PDFBox skips such pages
 * without a word), so list positions are page numbers.
 */
final class PageTextStripper extends PDFTextStripper {
  private final StringWriter output = new StringWriter();
  private final Map<COSDictionary, Integer> pageNumbers = new IdentityHashMap<>();
  private final List<String> pages = new ArrayList<>();
  private int pageStart;

  /** The text of each page of {@code pagesInOrder}, the pages as the page tree lists them. */
  List<String> pageTexts(PDDocument document, List<PDPage> pagesInOrder) throws IOException {
    for (int i = 0; i < pagesInOrder.size(); i++) {
      pageNumbers.putIfAbsent(pagesInOrder.get(i).getCOSObject(), i);
    }
    writeText(document, output);
    padTo(pagesInOrder.size());
    return pages;
  }

  private void padTo(int count) {
    pages.addAll(Collections.nCopies(Math.max(0, count - pages.size()), ""));
  }

  @Override
  protected void startPage(PDPage page) throws IOException {
    padTo(pageNumbers.getOrDefault(page.getCOSObject(), pages.size()));
    pageStart = output.getBuffer().length();
    super.startPage(page);
  }

  @Override
  protected void endPage(PDPage page) throws IOException {
    super.endPage(page);
    pages.add(output.getBuffer().substring(pageStart));
  }
}
