package io.sluice.transforms.chunk;

import io.sluice.transforms.embed.ModelTokenizer;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Chunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a document's text into chunks of at most {@code chunkSize} model tokens, consecutive chunks
 * sharing about {@code chunkOverlap} tokens. A cut falls at white space where the back half of the
 * window has any, else between words as the tokenizer sees them (for scripts without spaces), else
 * inside a word; and, unless asked otherwise, at every page boundary. The result depends only on
 * the text and the settings.
 *
 * <p>The document text is the page texts joined by a form feed; offsets are UTF-16 positions in it.
 */
public final class TokenChunker implements Chunker {
  public static final String PAGE_SEPARATOR = "\f";

  private final ChunkingSettings settings;
  private final ModelTokenizer tokenizer;

  public TokenChunker(ChunkingSettings settings) {
    this.settings = settings;
    this.tokenizer = ModelTokenizer.of(settings.model());
  }

  @Override
  public List<Chunk> chunk(String docId, List<String> pageTexts) {
    int[] pageStarts = new int[pageTexts.size()];
    for (int page = 1; page < pageTexts.size(); page++) {
      pageStarts[page] =
          pageStarts[page - 1] + pageTexts.get(page - 1).length() + PAGE_SEPARATOR.length();
    }
    List<Chunk> chunks = new ArrayList<>();
    if (settings.acrossPages()) {
      chunkSegment(docId, String.join(PAGE_SEPARATOR, pageTexts), 0, pageStarts, chunks);
    } else {
      for (int page = 0; page < pageTexts.size(); page++) {
        chunkSegment(docId, pageTexts.get(page), pageStarts[page], pageStarts, chunks);
      }
    }
    return chunks;
  }

  private void chunkSegment(
      String docId, String text, int offset, int[] pageStarts, List<Chunk> chunks) {
    ModelTokenizer.Tokens tokens = tokenizer.tokenize(text);
    int n = tokens.size();
    int start = 0;
    while (start < n) {
      int end = Math.min(start + settings.chunkSize(), n);
      if (end < n) {
        end = bestCut(tokens, start + Math.max(1, (end - start) / 2), end, end);
      }
      chunks.add(chunk(docId, text, offset, tokens, start, end, chunks.size(), pageStarts));
      if (end == n) {
        break;
      }
      int overlapStart = Math.max(end - settings.chunkOverlap(), start + 1);
      start = firstCut(tokens, overlapStart, end);
    }
  }

  /**
   * The last position in {@code [from, to]} to cut at: between whitespace-separated words if there
   * is one, else between the tokenizer's words (scripts written without spaces), else {@code
   * fallback}.
   */
  private static int bestCut(ModelTokenizer.Tokens tokens, int from, int to, int fallback) {
    for (int i = to; i >= from; i--) {
      if (afterWhitespace(tokens, i)) {
        return i;
      }
    }
    for (int i = to; i >= from; i--) {
      if (startsWord(tokens, i)) {
        return i;
      }
    }
    return fallback;
  }

  /** The first position in {@code [from, to]} to start a chunk at, by the same preference. */
  private static int firstCut(ModelTokenizer.Tokens tokens, int from, int to) {
    for (int i = from; i <= to; i++) {
      if (afterWhitespace(tokens, i)) {
        return i;
      }
    }
    for (int i = from; i <= to; i++) {
      if (startsWord(tokens, i)) {
        return i;
      }
    }
    return from;
  }

  /** Whether white space separates token i from the one before. */
  private static boolean afterWhitespace(ModelTokenizer.Tokens tokens, int i) {
    return i == 0 || i == tokens.size() || tokens.starts()[i] > tokens.ends()[i - 1];
  }

  /** Whether token i begins a new word, so a cut before it splits no word. */
  private static boolean startsWord(ModelTokenizer.Tokens tokens, int i) {
    return i == 0 || i == tokens.size() || tokens.wordIds()[i] != tokens.wordIds()[i - 1];
  }

  private static Chunk chunk(
      String docId,
      String text,
      int offset,
      ModelTokenizer.Tokens tokens,
      int first,
      int end,
      int ordinal,
      int[] pageStarts) {
    int localStart = tokens.starts()[first];
    int localEnd = tokens.ends()[end - 1];
    String chunkText = text.substring(localStart, localEnd);
    int charStart = offset + localStart;
    int charEnd = offset + localEnd;
    int page = pageOf(charStart, pageStarts);
    String textSha256 = Keys.sha256Hex(chunkText);
    return new Chunk(
        Keys.chunkIdOfTextHash(docId, page, charStart, charEnd, textSha256),
        page,
        ordinal,
        charStart,
        charEnd,
        end - first,
        chunkText,
        textSha256,
        null);
  }

  /** The 1-based page on which a document offset lies. */
  private static int pageOf(int charStart, int[] pageStarts) {
    // Page starts rise strictly (each page adds at least its separator). A hit is that page's
    // first character; a miss gives the insertion point, just after the page that holds it.
    int index = Arrays.binarySearch(pageStarts, charStart);
    return index >= 0 ? index + 1 : -index - 1;
  }
}
