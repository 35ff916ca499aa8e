package io.sluice.transforms.extract;

import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.model.Stage;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Extracts text, metadata and permissions from each source document with PDFBox. Documents that
 * cannot be extracted, or that take longer than the timeout, become classified failures; a valid
 * PDF without a usable text layer passes on with no page texts, to be recorded as {@code no_text}
 * (an OCR candidate).
 */
public final class ExtractText
    extends PTransform<
        PCollection<SourceDocument>, WithFailures.Result<PCollection<DocumentRecord>, Failure>> {

  private static final TupleTag<DocumentRecord> DOCUMENTS = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final ExtractionSettings settings;

  private ExtractText(ExtractionSettings settings) {
    this.settings = settings;
  }

  public static ExtractText create() {
    return new ExtractText(ExtractionSettings.defaults());
  }

  public ExtractText withSettings(ExtractionSettings newSettings) {
    if (newSettings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    return new ExtractText(newSettings);
  }

  public ExtractText withTimeout(Duration timeout) {
    return new ExtractText(settings.withTimeout(timeout));
  }

  public ExtractText withHonourPermissions(boolean honour) {
    return new ExtractText(settings.withHonourPermissions(honour));
  }

  @Override
  public WithFailures.Result<PCollection<DocumentRecord>, Failure> expand(
      PCollection<SourceDocument> sources) {
    PCollectionTuple extracted =
        sources.apply("Extract", ParDo.of(new ExtractFn(settings))
            .withOutputTags(DOCUMENTS, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(extracted, DOCUMENTS, FAILURES);
  }

  private static final class ExtractFn extends DoFn<SourceDocument, DocumentRecord> {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Counter extracted = Metrics.counter(ExtractText.class, "documents_extracted");
    private final Counter noText = Metrics.counter(ExtractText.class, "documents_no_text");
    private final Counter failed = Metrics.counter(ExtractText.class, "extraction_failures");
    private final Counter timeouts = Metrics.counter(ExtractText.class, "extraction_timeouts");
    private final Counter pages = Metrics.counter(ExtractText.class, "pages_extracted");
    private final Distribution millis = Metrics.distribution(ExtractText.class, "extract_millis");

    private final ExtractionSettings settings;
    private transient PdfTextExtractor extractor;
    private transient ExecutorService parser;

    ExtractFn(ExtractionSettings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() {
      extractor = new PdfTextExtractor(settings);
      // Parsing runs on its own thread so a document can be abandoned at the time limit.
      parser = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "sluice-pdf-parser-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
    }

    @ProcessElement
    public void process(@Element SourceDocument source, MultiOutputReceiver out)
        throws InterruptedException {
      long start = System.nanoTime();
      Future<DocumentRecord> parse = parser.submit(() -> extractor.extract(source));
      try {
        DocumentRecord document =
            parse.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        extracted.inc();
        pages.inc(document.metadata().pages());
        if (document.pageTexts().isEmpty()) {
          noText.inc();
        }
        out.get(DOCUMENTS).output(document);
      } catch (TimeoutException e) {
        parse.cancel(true);
        timeouts.inc();
        fail(out, source, FailureClass.TIMEOUT,
            "extraction took longer than " + settings.timeout().toSeconds() + " s; abandoned");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ExtractionException classified) {
          fail(out, source, classified.failureClass(), classified.getMessage());
        } else {
          fail(out, source, FailureClass.CORRUPT, "PDF cannot be parsed: " + cause);
        }
      } finally {
        millis.update((System.nanoTime() - start) / 1_000_000);
      }
    }

    private void fail(MultiOutputReceiver out, SourceDocument source, FailureClass failureClass,
        String message) {
      failed.inc();
      out.get(FAILURES).output(Failure.of(source.source(), Stage.EXTRACT, failureClass, message));
    }

    @Teardown
    public void teardown() {
      if (parser != null) {
        parser.shutdownNow();
      }
    }
  }
}
