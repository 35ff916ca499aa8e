package io.sluice.transforms.extract;

import java.io.IOException;

/**
 * A parser process that, on any document whose name contains {@code stall}, spins forever and
 * ignores interruption, the way a parser caught in a loop would; other documents are extracted for
 * real.
 */
public final class StallingWorker {
  private StallingWorker() {}

  public static void main(String[] args) throws IOException {
    PdfTextExtractor extractor = new PdfTextExtractor(ExtractionWorker.settings(args));
    ExtractionWorker.serveStandardStreams(
        source -> {
          if (source.source().uri().contains("stall")) {
            spinIgnoringInterrupts();
          }
          return extractor.extract(source);
        });
  }

  private static void spinIgnoringInterrupts() {
    while (true) {
      Thread.interrupted();
    }
  }
}
