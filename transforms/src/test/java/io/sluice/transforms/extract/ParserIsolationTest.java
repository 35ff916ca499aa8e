package io.sluice.transforms.extract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertThrows;

import io.sluice.samples.SampleCorpus;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Parsing in parser processes: a parser that loops ignoring interrupts is stopped at the time
 * limit, and a document that exhausts the parser's heap ends its own parse; the pipeline goes on
 * and keeps neither threads nor processes.
 */
public class ParserIsolationTest {
  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  private static Path samples;

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

  private static long liveChildProcesses() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
  }

  private static long parserThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("sluice-parser"))
        .count();
  }

  @Test(timeout = 120_000)
  public void aParserLoopingForeverIsStoppedAndTheRestIsExtracted() throws Exception {
    List<SourceDocument> documents = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      documents.add(document("stall-" + i + ".pdf", ("%PDF-1.7 stall " + i).getBytes()));
    }
    documents.add(sample("handbook.pdf"));
    documents.add(sample("multilingual.pdf"));
    // A replacement parser process starts within the timeout of the document it takes next: on a
    // busy two-core machine a JVM start takes more than two seconds.
    ExtractionSettings settings =
        ExtractionSettings.defaults()
            .withTimeout(Duration.ofSeconds(5))
            .withParserProcesses(2)
            .withParserHeapMb(128);

    WithFailures.Result<PCollection<DocumentRecord>, io.sluice.transforms.model.Failure> result =
        pipeline
            .apply(Create.of(documents))
            .apply(
                ExtractText.create()
                    .withSettings(settings)
                    .withParserMainClass(StallingWorker.class));

    PAssert.that(
            result
                .output()
                .apply(
                    "Extracted",
                    MapElements.into(TypeDescriptors.strings())
                        .via(record -> record.source().uri() + " " + record.pageTexts().size())))
        .containsInAnyOrder("file:///handbook.pdf 6", "file:///multilingual.pdf 3");
    PAssert.that(
            result
                .failures()
                .apply(
                    "Failures",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            failure ->
                                failure.sourceUri()
                                    + " "
                                    + failure.failureClass()
                                    + " "
                                    + failure.retryable()
                                    + " "
                                    + failure.message())))
        .containsInAnyOrder(
            List.of(0, 1, 2, 3).stream()
                .map(
                    i ->
                        "file:///stall-"
                            + i
                            + ".pdf TIMEOUT true extraction took longer than 5 s; the parser was stopped and"
                            + " the document abandoned")
                .toList());
    pipeline.run().waitUntilFinish();

    awaitNoChildren();
    assertThat("parser threads left behind", parserThreads(), is(0L));
  }

  @Test(timeout = 120_000)
  public void aDocumentExhaustingTheParserHeapIsTooLargeAndTheNextIsExtracted() throws Exception {
    ExtractionSettings settings =
        ExtractionSettings.defaults().withParserHeapMb(64).withParserProcesses(1);
    ParserPool pool = ParserPool.acquire(settings, ExtractionWorker.class);
    try {
      ExtractionException refused =
          assertThrows(
              ExtractionException.class,
              () -> pool.extract(document("giant.pdf", HostilePdfs.giantString(256L << 20))));
      assertThat(refused.failureClass(), is(FailureClass.TOO_LARGE));
      assertThat(refused.getMessage(), containsString("more than 64 MiB"));

      DocumentRecord images =
          pool.extract(document("image-bomb.pdf", HostilePdfs.imageBomb(16_000, "Sluice gate")));
      assertThat(
          "an image is never decoded for its text",
          images.pageTexts(),
          equalTo(List.of("Sluice gate\n")));
      assertThat(pool.extract(sample("handbook.pdf")).pageTexts().size(), is(6));
      assertThat(liveChildProcesses(), lessThanOrEqualTo(1L));
    } finally {
      pool.release();
    }
    awaitNoChildren();
  }

  @Test(timeout = 120_000)
  public void heldParsersServeOnePipelineAfterAnotherAndEndWithTheLease() throws Exception {
    ExtractText extract =
        ExtractText.create().withSettings(ExtractionSettings.defaults().withParserProcesses(1));
    List<Long> parserAfterEachPipeline = new ArrayList<>();
    try (ExtractText.ParserLease parsers = extract.keepParsersRunning()) {
      for (String name : List.of("handbook.pdf", "multilingual.pdf")) {
        Pipeline wave = Pipeline.create(PipelineOptionsFactory.create());
        PAssert.that(
                wave.apply(Create.of(List.of(sample(name))))
                    .apply(extract)
                    .output()
                    .apply(
                        MapElements.into(TypeDescriptors.strings())
                            .via(record -> record.source().uri())))
            .containsInAnyOrder("file:///" + name);
        wave.run().waitUntilFinish();
        List<Long> children =
            ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .toList();
        assertThat("one parser process, kept between pipelines", children.size(), is(1));
        parserAfterEachPipeline.add(children.get(0));
      }
    }
    assertThat(
        "the second pipeline parsed in the first one's process",
        parserAfterEachPipeline.get(1),
        equalTo(parserAfterEachPipeline.get(0)));
    awaitNoChildren();
  }

  @Test
  public void settingsRefuseAHeapTooSmallToParse() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> ExtractionSettings.defaults().withParserHeapMb(8));
    assertThat(refused.getMessage(), containsString("at least 32"));
    assertThat(ProcessHandle.current().children().toList(), is(empty()));
  }

  private static void awaitNoChildren() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (liveChildProcesses() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat("parser processes left running", liveChildProcesses(), is(0L));
  }
}
