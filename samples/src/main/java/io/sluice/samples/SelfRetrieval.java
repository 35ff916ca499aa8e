package io.sluice.samples;

import java.util.Arrays;

/**
 * The question of a self-retrieval test: a run of words from inside a chunk, a third of the way in,
 * away from the overlap the chunk shares with its neighbours, so that the chunk itself is the one
 * right answer. The tests and the bench's hit@10 ask the same kind of question.
 */
public final class SelfRetrieval {
  private static final int WORDS = 24;

  private SelfRetrieval() {}

  /** The question for a chunk's text; the whole text when it has no more words than a question. */
  public static String question(String chunkText) {
    String[] words = chunkText.strip().split("\\s+");
    if (words.length <= WORDS) {
      return String.join(" ", words);
    }
    int start = Math.min(words.length / 3, words.length - WORDS);
    return String.join(" ", Arrays.copyOfRange(words, start, start + WORDS));
  }
}
