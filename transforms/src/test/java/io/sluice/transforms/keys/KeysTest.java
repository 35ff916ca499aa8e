package io.sluice.transforms.keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
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

  @Test
  public void indexVersionChangesWithAnyParameter() {
    IndexVersion base = new IndexVersion("m", 384, 120, 16, "model-tokens", false);
    assertThat(base.id(), startsWith("iv-"));
    assertThat(base.id(), equalTo(new IndexVersion("m", 384, 120, 16, "model-tokens", false).id()));
    assertThat(new IndexVersion("m2", 384, 120, 16, "model-tokens", false).id(), not(base.id()));
    assertThat(new IndexVersion("m", 384, 100, 16, "model-tokens", false).id(), not(base.id()));
    assertThat(new IndexVersion("m", 384, 120, 8, "model-tokens", false).id(), not(base.id()));
    assertThat(new IndexVersion("m", 384, 120, 16, "model-tokens", true).id(), not(base.id()));
  }

  @Test(expected = IllegalArgumentException.class)
  public void overlapMustBeBelowSize() {
    new IndexVersion("m", 384, 16, 16, "model-tokens", false);
  }
}
