package io.sluice.transforms.extract;

import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.model.Stage;
import java.io.IOException;
import java.time.Duration;
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
 * (an OCR candidate). Parsing happens in parser processes ({@link ParserPool}), so a document that
 * hangs the parser or exhausts its memory costs its own parse and nothing else.
 */
public final class ExtractText
    extends PTransform<
        PCollection<SourceDocument>, WithFailures.Result<PCollection<DocumentRecord>, Failure>> {

  private static final TupleTag<DocumentRecord> DOCUMENTS = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final ExtractionSettings settings;
  private final Class<?> parserMainClass;

  private ExtractText(ExtractionSettings settings, Class<?> parserMainClass) {
    this.settings = settings;
    this.parserMainClass = parserMainClass;
  }

  public static ExtractText create() {
    return new ExtractText(ExtractionSettings.defaults(), ExtractionWorker.class);
  }

  public ExtractText withSettings(ExtractionSettings newSettings) {
    if (newSettings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    return new ExtractText(newSettings, parserMainClass);
  }

  public ExtractText withTimeout(Duration timeout) {
    return withSettings(settings.withTimeout(timeout));
  }

  public ExtractText withHonourPermissions(boolean honour) {
    return withSettings(settings.withHonourPermissions(honour));
  }

  /**
   * Runs another program in the parser processes: tests use one that misbehaves on purpose. It must
   * speak {@link ExtractionWorker}'s protocol.
   */
  ExtractText withParserMainClass(Class<?> mainClass) {
    if (mainClass == null) {
      throw new IllegalArgumentException("mainClass must not be null");
    }
    return new ExtractText(settings, mainClass);
  }

  /**
   * Keeps this transform's parser processes running until the lease is closed, across pipelines run
   * one after another in this JVM (the DirectRunner's waves). Each process then starts and
   * JIT-compiles PDFBox once per run, not once per pipeline: measured on the shared corpus in 12
   * waves, the restarts cost as much CPU as the parsing itself.
   */
  public ParserLease keepParsersRunning() {
    return ParserPool.acquire(settings, parserMainClass)::release;
  }

  /** A hold on parser processes; closing it lets the last user of the pool end them. */
  @FunctionalInterface
  public interface ParserLease extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  public WithFailures.Result<PCollection<DocumentRecord>, Failure> expand(
      PCollection<SourceDocument> sources) {
    PCollectionTuple extracted =
        sources.apply(
            "Extract",
            ParDo.of(new ExtractFn(settings, parserMainClass))
                .withOutputTags(DOCUMENTS, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(extracted, DOCUMENTS, FAILURES);
  }

  private static final class ExtractFn extends DoFn<SourceDocument, DocumentRecord> {
    private final Counter extracted = Metrics.counter(ExtractText.class, "documents_extracted");
    private final Counter noText = Metrics.counter(ExtractText.class, "documents_no_text");
    private final Counter failed = Metrics.counter(ExtractText.class, "extraction_failures");
    private final Counter timeouts = Metrics.counter(ExtractText.class, "extraction_timeouts");
    private final Counter pages = Metrics.counter(ExtractText.class, "pages_extracted");
    private final Distribution millis = Metrics.distribution(ExtractText.class, "extract_millis");

    private final ExtractionSettings settings;
    private final Class<?> parserMainClass;
    private transient ParserPool parsers;

    ExtractFn(ExtractionSettings settings, Class<?> parserMainClass) {
      this.settings = settings;
      this.parserMainClass = parserMainClass;
    }

    @Setup
    public void setup() {
      parsers = ParserPool.acquire(settings, parserMainClass);
    }

    @ProcessElement
    public void process(@Element SourceDocument source, MultiOutputReceiver out)
        throws IOException, InterruptedException {
      long start = System.nanoTime();
      long startedMillis = System.currentTimeMillis();
      try {
        DocumentRecord document = parsers.extract(source).timed(Stage.EXTRACT, startedMillis);
        extracted.inc();
        pages.inc(document.metadata().pages());
        if (document.pageTexts().isEmpty()) {
          noText.inc();
        }
        out.get(DOCUMENTS).output(document);
      } catch (ExtractionException e) {
        if (e.failureClass() == FailureClass.TIMEOUT) {
          timeouts.inc();
        }
        failed.inc();
        out.get(FAILURES)
            .output(Failure.of(source.source(), Stage.EXTRACT, e.failureClass(), e.getMessage()));
      } finally {
        millis.update((System.nanoTime() - start) / 1_000_000);
      }
    }

    @Teardown
    public void teardown() {
      if (parsers != null) {
        parsers.release();
        parsers = null;
      }
    }
  }
}
