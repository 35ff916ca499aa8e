package io.sluice.samples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A 100-page text manual and the same manual with one page's text replaced: what vector reuse is
 * measured on (the test and the bench). Every page has words of its own, drawn from a seed.
 */
public final class EditedManual {
  public static final int PAGES = 100;
  public static final int EDITED_PAGE = 50;
  private static final int WORDS_PER_PAGE = 140;
  private static final String[] WORDS = {
    "sluice", "gate", "valve", "channel", "pressure", "flow", "basin", "weir", "culvert", "level",
    "inspection", "seal", "hinge", "motor", "sensor", "alarm", "manual", "override", "torque",
        "drain"
  };

  private EditedManual() {}

  /** The manual as first written. */
  public static byte[] original() throws IOException {
    return SampleCorpus.textPdf("Manual", pages(false));
  }

  /** The manual with page {@link #EDITED_PAGE} rewritten; every other page as it was. */
  public static byte[] edited() throws IOException {
    return SampleCorpus.textPdf("Manual", pages(true));
  }

  private static List<String> pages(boolean edited) {
    List<String> pages = new ArrayList<>();
    for (int number = 1; number <= PAGES; number++) {
      pages.add(page(number, edited && number == EDITED_PAGE ? -number : number));
    }
    return pages;
  }

  private static String page(int number, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder("Section " + number + ".");
    for (int word = 0; word < WORDS_PER_PAGE; word++) {
      text.append(word % 12 == 0 ? ". " : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.append('.').toString();
  }
}
