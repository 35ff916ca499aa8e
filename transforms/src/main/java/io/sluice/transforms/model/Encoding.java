package io.sluice.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The field encodings the model coders share: length-prefixed UTF-8 strings and arrays, with {@code
 * -1} standing for null, so that text of any length (a page can pass 64 KiB) round-trips.
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
    // In one piece, big-endian as DataOutputStream writes a float: a vector is 384 of them, and
    // writing them one by one was the largest cost of moving a document between stages.
    ByteBuffer bytes = ByteBuffer.allocate(value.length * Float.BYTES);
    bytes.asFloatBuffer().put(value);
    out.write(bytes.array());
  }

  static float[] readFloats(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length * Float.BYTES];
    in.readFully(bytes);
    float[] value = new float[length];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(value);
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
