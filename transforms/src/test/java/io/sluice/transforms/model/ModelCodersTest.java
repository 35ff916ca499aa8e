package io.sluice.transforms.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class ModelCodersTest {
  private static final Source SOURCE = new Source("file:///a.zip!/b ü.pdf", "ab".repeat(32), 1234);

  @Test
  public void sourcesAndFailuresRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(SourceCoder.of(), SOURCE);
    CoderProperties.coderDecodeEncodeEqual(
        FailureCoder.of(),
        Failure.of(SOURCE, Stage.EXTRACT, FailureClass.ENCRYPTED, "needs a password"));
    CoderProperties.coderDecodeEncodeEqual(
        FailureCoder.of(),
        Failure.ofUri("s3://bucket/x.zip", Stage.READ, FailureClass.CORRUPT, "truncated"));
  }

  @Test
  public void documentsRoundTripWithLongPagesNullsAndVectors() throws Exception {
    DocumentMetadata metadata =
        new DocumentMetadata(
            2,
            "1.7",
            "Title",
            null,
            null,
            null,
            null,
            "Producer",
            "2024-01-01T00:00:00Z",
            null,
            true,
            false,
            true,
            false,
            true,
            "needed repair");
    Chunk embedded =
        new Chunk(
            "c".repeat(64),
            1,
            0,
            0,
            5,
            2,
            "hello",
            "h".repeat(64),
            new float[] {0.25f, -1.5f, Float.MIN_VALUE});
    Chunk bare = new Chunk("d".repeat(64), 2, 1, 6, 9, 1, "😀 x", "i".repeat(64), null);
    DocumentRecord document =
        new DocumentRecord(
            SOURCE,
            metadata,
            List.of("x".repeat(70_000), ""),
            List.of(embedded, bare),
            StageTimes.NONE.with(Stage.EXTRACT, 1_000L, 1_500L).with(Stage.EMBED, 2_000L, 2_600L));

    DocumentRecord copy = CoderUtils.clone(DocumentRecordCoder.of(), document);
    assertThat(copy.metadata(), equalTo(metadata));
    assertThat(copy.pageTexts(), equalTo(document.pageTexts()));
    assertThat(
        Arrays.equals(copy.chunks().get(0).embedding(), embedded.embedding()), equalTo(true));
    assertThat(copy.chunks().get(1).embedding(), equalTo(null));
    assertThat(copy.chunks().get(1).text(), equalTo("😀 x"));
    assertThat(copy.times(), equalTo(document.times()));
    CoderProperties.structuralValueDecodeEncodeEqual(DocumentRecordCoder.of(), document);

    SourceDocument bytes = new SourceDocument(SOURCE, new byte[] {1, 2, 3});
    assertThat(
        CoderUtils.clone(SourceDocumentCoder.of(), bytes).content(), equalTo(new byte[] {1, 2, 3}));
    CoderProperties.coderDeterministic(SourceDocumentCoder.of(), bytes, bytes);
  }
}
