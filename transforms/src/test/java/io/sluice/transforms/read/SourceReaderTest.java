package io.sluice.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import io.sluice.samples.SampleCorpus;
import io.sluice.testing.ZipFixtures;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.SourceDocument;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;

public class SourceReaderTest {
  private static byte[] pdf;
  private static byte[] otherPdf;

  @BeforeClass
  public static void pdfs() throws IOException {
    pdf = SampleCorpus.textPdf("One", List.of("A page about locks and weirs."));
    otherPdf = SampleCorpus.textPdf("Two", List.of("A page about towpaths."));
  }

  /** What reading one file produced. */
  private static final class Collected implements SourceEmitter {
    final List<SourceDocument> documents = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();

    @Override
    public void document(SourceDocument document) {
      documents.add(document);
    }

    @Override
    public void failure(Failure failure) {
      failures.add(failure);
    }

    List<String> uris() {
      return documents.stream().map(d -> d.source().uri()).toList();
    }

    List<FailureClass> classes() {
      return failures.stream().map(Failure::failureClass).toList();
    }
  }

  private static Collected read(String uri, byte[] bytes, ReadLimits limits) {
    Collected collected = new Collected();
    new SourceReader(limits)
        .read(uri, bytes.length, () -> new ByteArrayInputStream(bytes), collected);
    return collected;
  }

  private static Collected read(String uri, byte[] bytes) {
    return read(uri, bytes, ReadLimits.defaults());
  }

  @Test
  public void aPdfIsOneDocumentKeyedByItsBytes() {
    Collected read = read("file:///in/a.pdf", pdf);
    assertThat(read.uris(), contains("file:///in/a.pdf"));
    assertThat(read.documents.get(0).source().docId(), equalTo(Keys.docId(pdf)));
    assertThat(read.failures, is(empty()));
  }

  @Test
  public void archiveMembersAreNamedByArchiveAndPathAndNestedArchivesFollowed() throws IOException {
    byte[] inner = SampleCorpus.zip(Map.of("deep.pdf", otherPdf));
    byte[] archive = SampleCorpus.zip(Map.of("dir/a.pdf", pdf, "dir/inner.zip", inner));
    Collected read = read("file:///in/a.zip", archive);
    assertThat(
        read.uris(),
        containsInAnyOrder(
            "file:///in/a.zip!/dir/a.pdf", "file:///in/a.zip!/dir/inner.zip!/deep.pdf"));
    assertThat(read.failures, is(empty()));
  }

  @Test
  public void nestingDeeperThanTheLimitIsRejected() throws IOException {
    byte[] level2 = SampleCorpus.zip(Map.of("l2.pdf", pdf));
    byte[] level1 = SampleCorpus.zip(Map.of("l1.pdf", pdf, "level2.zip", level2));
    byte[] outer = SampleCorpus.zip(Map.of("l0.pdf", pdf, "level1.zip", level1));
    Collected read = read("file:///in/o.zip", outer, ReadLimits.defaults().withMaxArchiveDepth(2));
    assertThat(
        read.uris(),
        containsInAnyOrder("file:///in/o.zip!/l0.pdf", "file:///in/o.zip!/level1.zip!/l1.pdf"));
    assertThat(read.classes(), contains(FailureClass.REJECTED));
    assertThat(read.failures.get(0).message(), containsString("nested deeper than 2"));
  }

  @Test
  public void traversalMembersAreRejectedAndSafeOnesRead() throws IOException {
    Collected read = read("file:///in/slip.zip", ZipFixtures.zipSlip(pdf));
    assertThat(read.uris(), contains("file:///in/slip.zip!/safe/ok.pdf"));
    assertThat(read.failures.size(), equalTo(3));
    assertThat(read.classes(), everyItem(equalTo(FailureClass.REJECTED)));
    assertThat(
        read.failures.stream().map(Failure::message).toList(),
        everyItem(startsWith("unsafe member name")));
  }

  @Test
  public void aDecompressionBombIsStoppedEarlyWithoutBufferingIt() throws IOException {
    byte[] bomb = ZipFixtures.bomb(64);
    Collected read = read("file:///in/bomb.zip", bomb);
    assertThat(read.documents, is(empty()));
    assertThat(read.classes(), everyItem(equalTo(FailureClass.REJECTED)));
    assertThat(read.failures.get(0).message(), containsString("decompression bomb"));
    assertThat(read.failures.get(1).message(), containsString("archive abandoned"));
  }

  @Test
  public void anArchiveLargerThanItsBudgetStops() throws IOException {
    byte[] archive = SampleCorpus.zip(Map.of("a.pdf", pdf, "b.pdf", otherPdf));
    Collected read =
        read(
            "file:///in/a.zip",
            archive,
            ReadLimits.defaults().withMaxArchiveBytes(pdf.length + 10));
    assertThat(read.documents.size(), lessThan(2));
    assertThat(read.classes(), hasItem(FailureClass.REJECTED));
  }

  @Test
  public void tooManyEntriesStopTheArchive() throws IOException {
    byte[] archive = SampleCorpus.zip(Map.of("a.pdf", pdf, "b.pdf", pdf, "c.pdf", pdf));
    Collected read =
        read("file:///in/a.zip", archive, ReadLimits.defaults().withMaxArchiveEntries(2));
    assertThat(read.documents.size(), equalTo(2));
    assertThat(read.failures.get(0).message(), containsString("more than 2 entries"));
  }

  @Test
  public void anEmptyArchiveIsRecordedAsNoText() throws IOException {
    Collected read = read("file:///in/empty.zip", ZipFixtures.empty());
    assertThat(read.documents, is(empty()));
    assertThat(read.classes(), contains(FailureClass.NO_TEXT));
  }

  @Test
  public void repeatedMemberNamesAreAllKept() throws IOException {
    Collected read = read("file:///in/d.zip", ZipFixtures.duplicateNames(pdf, otherPdf));
    assertThat(
        read.uris(),
        contains(
            "file:///in/d.zip!/report.pdf",
            "file:///in/d.zip!/report.pdf#2",
            "file:///in/d.zip!/REPORT.pdf"));
    assertThat(read.documents.get(1).source().docId(), equalTo(Keys.docId(otherPdf)));
  }

  @Test
  public void aTruncatedArchiveYieldsItsCompleteMembersThenACorruptFailure() throws IOException {
    byte[] big = SampleCorpus.textPdf("Big", List.of("x ".repeat(4000), "y ".repeat(4000)));
    byte[] archive = SampleCorpus.zip(Map.of("a.pdf", pdf, "z-big.pdf", big));
    Collected read = read("file:///in/t.zip", ZipFixtures.truncated(archive, 0.6));
    assertThat(read.uris(), contains("file:///in/t.zip!/a.pdf"));
    assertThat(read.classes(), contains(FailureClass.CORRUPT));
    assertThat(read.failures.get(0).message(), containsString("after 2 members"));
  }

  @Test
  public void aFileAboveTheSizeLimitIsTooLargeUnread() {
    Collected read =
        read("file:///in/a.pdf", pdf, ReadLimits.defaults().withMaxDocumentBytes(pdf.length - 1));
    assertThat(read.classes(), contains(FailureClass.TOO_LARGE));
  }
}
