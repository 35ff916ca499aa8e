package io.sluice.transforms.extract;

/**
 * Makes extracted text storable and stable: PostgreSQL text and jsonb refuse NUL, and a lone
 * surrogate would be changed in transit and break the chunk's text hash. Control characters other
 * than tab, line feed, carriage return and form feed carry nothing a reader sees.
 */
public final class TextSanitizer {
  private TextSanitizer() {}

  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean keep;
      if (Character.isHighSurrogate(c)) {
        keep = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        if (keep) {
          if (out != null) {
            out.append(c).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else if (Character.isLowSurrogate(c)) {
        keep = false;
      } else {
        keep = c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\n' || c == '\r' || c == '\f');
      }
      if (!keep && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      } else if (keep && out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
