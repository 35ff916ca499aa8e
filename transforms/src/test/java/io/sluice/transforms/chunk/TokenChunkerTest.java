package io.sluice.transforms.chunk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import io.sluice.transforms.embed.ModelCatalogue;
import io.sluice.transforms.embed.ModelSpec;
import io.sluice.transforms.embed.ModelTokenizer;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Chunk;
import java.util.List;
import org.junit.Test;

public class TokenChunkerTest {
  private static final ModelSpec MODEL = ModelCatalogue.ALL_MINILM_L6_V2_Q;
  private static final String DOC = Keys.docId(new byte[] {42});

  private static String words(String prefix, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(prefix).append(i).append(i % 9 == 8 ? ".\n" : " ");
    }
    return text.toString();
  }

  @Test
  public void chunksFitTheWindowMatchTheirOffsetsAndKeepTheirPage() {
    List<String> pages = List.of(words("lock", 300), words("weir", 40), "", words("gate", 200));
    ChunkingSettings settings = new ChunkingSettings(MODEL, 60, 10, false);
    List<Chunk> chunks = new TokenChunker(settings).chunk(DOC, pages);
    String documentText = String.join(TokenChunker.PAGE_SEPARATOR, pages);
    ModelTokenizer tokenizer = ModelTokenizer.of(MODEL);
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      assertThat(chunk.ordinal(), equalTo(i));
      assertThat(documentText.substring(chunk.charStart(), chunk.charEnd()), equalTo(chunk.text()));
      assertThat(chunk.tokenCount(), lessThanOrEqualTo(60));
      assertThat(tokenizer.tokenize(chunk.text()).size(), lessThanOrEqualTo(60));
      assertThat(chunk.text().contains(TokenChunker.PAGE_SEPARATOR), equalTo(false));
      String expectedWord = chunk.page() == 1 ? "lock" : chunk.page() == 2 ? "weir" : "gate";
      assertThat(chunk.text().startsWith(expectedWord), equalTo(true));
      assertThat(
          chunk.chunkId(),
          equalTo(
              Keys.chunkId(DOC, chunk.page(), chunk.charStart(), chunk.charEnd(), chunk.text())));
    }
    assertThat(chunks.stream().filter(c -> c.page() == 3).count(), equalTo(0L));
    assertThat(chunks.get(chunks.size() - 1).page(), equalTo(4));
  }

  @Test
  public void consecutiveChunksOverlapAndCutBetweenWords() {
    List<Chunk> chunks =
        new TokenChunker(new ChunkingSettings(MODEL, 50, 12, false))
            .chunk(DOC, List.of(words("sluice", 400)));
    assertThat(chunks.size(), greaterThan(3));
    for (int i = 1; i < chunks.size(); i++) {
      Chunk previous = chunks.get(i - 1);
      Chunk current = chunks.get(i);
      assertThat(current.charStart(), greaterThan(previous.charStart()));
      assertThat(
          "chunk " + i + " overlaps the one before",
          current.charStart() < previous.charEnd(),
          equalTo(true));
      assertThat(current.text(), startsWith("sluice"));
    }
  }

  @Test
  public void acrossPagesLetsAChunkSpanAPageBoundary() {
    List<String> pages = List.of("short first page", "short second page");
    List<Chunk> perPage =
        new TokenChunker(new ChunkingSettings(MODEL, 100, 0, false)).chunk(DOC, pages);
    List<Chunk> across =
        new TokenChunker(new ChunkingSettings(MODEL, 100, 0, true)).chunk(DOC, pages);
    assertThat(perPage.size(), equalTo(2));
    assertThat(across.size(), equalTo(1));
    assertThat(across.get(0).text(), equalTo("short first page\fshort second page"));
  }

  @Test
  public void offsetsAreUtf16EvenAfterCharactersOutsideTheBasicPlane() {
    String text = "emoji \ud83d\ude00 then words 日本語 after";
    List<Chunk> chunks =
        new TokenChunker(new ChunkingSettings(MODEL, 3, 0, false)).chunk(DOC, List.of(text));
    for (Chunk chunk : chunks) {
      assertThat(text.substring(chunk.charStart(), chunk.charEnd()), equalTo(chunk.text()));
    }
    assertThat(chunks.get(chunks.size() - 1).text().endsWith("after"), equalTo(true));
  }

  @Test
  public void theSameTextAlwaysGivesTheSameChunks() {
    List<String> pages = List.of(words("pound", 500));
    ChunkingSettings settings = ChunkingSettings.defaults(MODEL);
    assertThat(
        new TokenChunker(settings).chunk(DOC, pages),
        equalTo(new TokenChunker(settings).chunk(DOC, pages)));
  }

  @Test(expected = IllegalArgumentException.class)
  public void aChunkLargerThanTheModelWindowIsRefused() {
    new ChunkingSettings(MODEL, MODEL.maxChunkTokens() + 1, 0, false);
  }
}
