package io.sluice.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The field encodings the model coders share: length-prefixed UTF-8 strings and arrays, with
 * {@code -1} standing for null, so that text of any length (a page can pass 64 KiB) round-trips.
 */
public final class Encoding {
  private Encoding() {}

  public static void writeString(DataOutputStream out, String value) throws IOException {
    writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  public static String readString(DataInputStream in) throws IOException {
    byte[] bytes = readBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(value.length);
    out.write(value);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] value = new byte[length];
    in.readFully(value);
    return value;
  }

  static void writeFloats(DataOutputStream out, float[] value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(value.length);
    for (float element : value) {
      out.writeFloat(element);
    }
  }

  static float[] readFloats(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    float[] value = new float[length];
    for (int i = 0; i < length; i++) {
      value[i] = in.readFloat();
    }
    return value;
  }

  static void writeSource(DataOutputStream out, Source source) throws IOException {
    writeString(out, source.uri());
    writeString(out, source.docId());
    out.writeLong(source.sizeBytes());
  }

  static Source readSource(DataInputStream in) throws IOException {
    return new Source(readString(in), readString(in), in.readLong());
  }
}
