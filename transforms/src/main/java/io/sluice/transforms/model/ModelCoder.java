package io.sluice.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A deterministic Beam coder for one of sluice's records, written field by field. Cheaper than Java
 * serialization, stable across class changes that keep the fields, and, being deterministic,
 * comparable by its bytes (records holding arrays are not comparable by equals).
 */
public abstract class ModelCoder<T> extends CustomCoder<T> {
  @Override
  public final void encode(T value, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    write(value, out);
    out.flush();
  }

  @Override
  public final T decode(InputStream inStream) throws IOException {
    return read(new DataInputStream(inStream));
  }

  @Override
  public final void verifyDeterministic() {
    // Every field is written in a fixed order with a fixed encoding.
  }

  protected abstract void write(T value, DataOutputStream out) throws IOException;

  protected abstract T read(DataInputStream in) throws IOException;
}
