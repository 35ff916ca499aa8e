package io.sluice.transforms.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic keys every record carries, recomputable by anyone from the content alone:
 * {@code doc_id} is the SHA-256 of the document's bytes, {@code chunk_id} the SHA-256 of {@code
 * doc_id|page|char_start|char_end|sha256(chunk text)}.
 */
public final class Keys {
  private static final HexFormat HEX = HexFormat.of();

  private Keys() {}

  public static String docId(byte[] content) {
    return sha256Hex(content);
  }

  public static String chunkId(String docId, int page, int charStart, int charEnd, String text) {
    return chunkIdOfTextHash(docId, page, charStart, charEnd, sha256Hex(text));
  }

  /** {@link #chunkId} for a caller that already holds {@code sha256(text)}. */
  public static String chunkIdOfTextHash(
      String docId, int page, int charStart, int charEnd, String textSha256) {
    return sha256Hex(docId + "|" + page + "|" + charStart + "|" + charEnd + "|" + textSha256);
  }

  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(byte[] bytes) {
    return HEX.formatHex(sha256().digest(bytes));
  }

  /** A fresh SHA-256 digest; for hashing a stream piece by piece. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  public static String hex(byte[] digest) {
    return HEX.formatHex(digest);
  }
}
