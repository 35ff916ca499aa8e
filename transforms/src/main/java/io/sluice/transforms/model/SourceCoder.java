package io.sluice.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes a {@link Source}. */
public final class SourceCoder extends ModelCoder<Source> {
  private static final SourceCoder INSTANCE = new SourceCoder();

  public static SourceCoder of() {
    return INSTANCE;
  }

  /** What {@code @DefaultCoder} on {@link Source} looks up. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Source.class), INSTANCE);
  }

  @Override
  protected void write(Source value, DataOutputStream out) throws IOException {
    Encoding.writeSource(out, value);
  }

  @Override
  protected Source read(DataInputStream in) throws IOException {
    return Encoding.readSource(in);
  }
}
