package io.sluice.transforms.keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class KeysTest {
  @Test
  public void docIdIsTheSha256OfTheBytes() {
    // The SHA-256 test vector of FIPS 180-2 for "abc".
    assertThat(
        Keys.docId("abc".getBytes(StandardCharsets.US_ASCII)),
        equalTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }

  @Test
  public void chunkIdHashesDocPageOffsetsAndTextHash() {
    String docId = Keys.docId(new byte[] {1, 2, 3});
    String expected = Keys.sha256Hex(docId + "|3|10|42|" + Keys.sha256Hex("some text"));
    assertThat(Keys.chunkId(docId, 3, 10, 42, "some text"), equalTo(expected));
    assertThat(
        Keys.chunkIdOfTextHash(docId, 3, 10, 42, Keys.sha256Hex("some text")), equalTo(expected));
  }

  private static final EmbeddingProvenance CATALOGUE =
      new EmbeddingProvenance(
          EmbeddingProvenance.Provider.IN_PROCESS, "classpath:/m.onnx", "mean", true, "", "");

  private static IndexVersion version(
      String model, int chunkSize, int overlap, boolean acrossPages, EmbeddingProvenance from) {
    return new IndexVersion(model, 384, chunkSize, overlap, "model-tokens", acrossPages, from);
  }

  @Test
  public void indexVersionChangesWithAnyParameter() {
    IndexVersion base = version("m", 120, 16, false, CATALOGUE);
    assertThat(base.id(), startsWith("iv-"));
    assertThat(base.id(), equalTo(version("m", 120, 16, false, CATALOGUE).id()));
    assertThat(version("m2", 120, 16, false, CATALOGUE).id(), not(base.id()));
    assertThat(version("m", 100, 16, false, CATALOGUE).id(), not(base.id()));
    assertThat(version("m", 120, 8, false, CATALOGUE).id(), not(base.id()));
    assertThat(version("m", 120, 16, true, CATALOGUE).id(), not(base.id()));
  }

  /** Ids of catalogue models are those from before provenance: stores keep their versions. */
  @Test
  public void aCatalogueModelsVersionIdIsItsParametersAlone() {
    assertThat(
        version("all-minilm-l6-v2-q", 120, 16, false, CATALOGUE).id(),
        equalTo(
            "iv-"
                + Keys.sha256Hex(
                        "model=all-minilm-l6-v2-q|dim=384|chunk_size=120|chunk_overlap=16"
                            + "|chunk_unit=model-tokens|across_pages=false")
                    .substring(0, 16)));
  }

  @Test
  public void aModelFilesHashPoolingAndPrefixesAreEachPartOfItsVersion() {
    EmbeddingProvenance file =
        new EmbeddingProvenance(
            EmbeddingProvenance.Provider.FILE, "sha256:aa+bb", "mean", true, "", "");
    String id = version("onnx:model.onnx", 120, 16, false, file).id();
    List<EmbeddingProvenance> changed =
        List.of(
            new EmbeddingProvenance(
                EmbeddingProvenance.Provider.FILE, "sha256:ab+bb", "mean", true, "", ""),
            new EmbeddingProvenance(
                EmbeddingProvenance.Provider.FILE, "sha256:aa+bb", "cls", true, "", ""),
            new EmbeddingProvenance(
                EmbeddingProvenance.Provider.FILE, "sha256:aa+bb", "mean", false, "", ""),
            new EmbeddingProvenance(
                EmbeddingProvenance.Provider.FILE, "sha256:aa+bb", "mean", true, "q: ", ""),
            new EmbeddingProvenance(
                EmbeddingProvenance.Provider.FILE, "sha256:aa+bb", "mean", true, "", "p: "));
    for (EmbeddingProvenance other : changed) {
      assertThat(other.toString(), version("onnx:model.onnx", 120, 16, false, other).id(), not(id));
    }
  }

  @Test(expected = IllegalArgumentException.class)
  public void overlapMustBeBelowSize() {
    version("m", 16, 16, false, CATALOGUE);
  }
}
