package io.sluice.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.sluice.samples.SampleCorpus;
import io.sluice.transforms.extract.ExtractText;
import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.read.ReadSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReadAndExtractPipelineTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void readsAFolderExtractsAndClassifies() throws Exception {
    Path samples = folder.getRoot().toPath();
    SampleCorpus.writeTo(samples);
    Files.writeString(samples.resolve("README.md"), "not a document, and not reported as one");
    String root = "file://" + samples.toAbsolutePath();

    WithFailures.Result<PCollection<SourceDocument>, Failure> read =
        pipeline.apply(ReadSources.from(List.of(samples.toString())));
    WithFailures.Result<PCollection<DocumentRecord>, Failure> extracted =
        read.output().apply(ExtractText.create());

    PAssert.that(
            read.output()
                .apply(
                    "Source URIs",
                    MapElements.into(TypeDescriptors.strings())
                        .via(document -> document.source().uri())))
        .containsInAnyOrder(
            root + "/handbook.pdf",
            root + "/multilingual.pdf",
            root + "/scanned.pdf",
            root + "/locked.pdf",
            root + "/restricted.pdf",
            root + "/broken.pdf",
            root + "/not-a-pdf.pdf",
            root + "/bundle.zip!/archive/handbook.pdf",
            root + "/bundle.zip!/archive/notes.txt",
            root + "/bundle.zip!/archive/inner.zip!/appendix.pdf");
    PAssert.that(read.failures()).empty();
    PAssert.that(
            extracted
                .failures()
                .apply(
                    "Failure classes",
                    MapElements.into(TypeDescriptors.strings())
                        .via(failure -> failure.failureClass() + " " + failure.sourceUri())))
        .containsInAnyOrder(
            "ENCRYPTED " + root + "/locked.pdf",
            "CORRUPT " + root + "/broken.pdf",
            "NOT_PDF " + root + "/not-a-pdf.pdf",
            "NOT_PDF " + root + "/bundle.zip!/archive/notes.txt");
    PAssert.that(
            extracted
                .output()
                .apply(
                    "Page counts",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            document ->
                                document.source().uri().substring(root.length())
                                    + " "
                                    + document.pageTexts().size())))
        .containsInAnyOrder(
            "/handbook.pdf 6",
            "/multilingual.pdf 3",
            "/scanned.pdf 0",
            "/restricted.pdf 1",
            "/bundle.zip!/archive/handbook.pdf 6",
            "/bundle.zip!/archive/inner.zip!/appendix.pdf 2");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aDocumentOverTheTimeLimitIsAbandonedAsATimeout() throws Exception {
    Path samples = folder.getRoot().toPath();
    SampleCorpus.writeTo(samples);
    PCollection<Failure> failures =
        pipeline
            .apply(ReadSources.from(List.of(samples.resolve("handbook.pdf").toString())))
            .output()
            .apply(ExtractText.create().withTimeout(Duration.ofMillis(1)))
            .failures();
    PAssert.that(failures)
        .satisfies(
            found -> {
              List<Failure> all = StreamSupport.stream(found.spliterator(), false).toList();
              assertThat(all.size(), equalTo(1));
              assertThat(
                  all.stream().map(Failure::failureClass).toList(),
                  everyItem(equalTo(FailureClass.TIMEOUT)));
              assertThat(all.get(0).retryable(), equalTo(true));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void explicitFilesAreReadWhateverTheirName() throws Exception {
    Path odd = folder.newFile("document.bin").toPath();
    Files.write(odd, SampleCorpus.textPdf("Odd", List.of("A PDF with an odd name.")));
    PCollection<String> uris =
        pipeline
            .apply(ReadSources.from(List.of(odd.toString())))
            .output()
            .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.source().uri()));
    PAssert.that(uris).containsInAnyOrder("file://" + odd.toAbsolutePath());
    pipeline.run().waitUntilFinish();
  }
}
