package io.sluice.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes a {@link Failure}; stage and class by name, so reordering the enums changes nothing. */
public final class FailureCoder extends ModelCoder<Failure> {
  private static final FailureCoder INSTANCE = new FailureCoder();

  public static FailureCoder of() {
    return INSTANCE;
  }

  /** What {@code @DefaultCoder} on {@link Failure} looks up. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Failure.class), INSTANCE);
  }

  @Override
  protected void write(Failure value, DataOutputStream out) throws IOException {
    Encoding.writeString(out, value.sourceUri());
    Encoding.writeString(out, value.docId());
    out.writeLong(value.sizeBytes());
    Encoding.writeString(out, value.stage().name());
    Encoding.writeString(out, value.failureClass().name());
    Encoding.writeString(out, value.message());
  }

  @Override
  protected Failure read(DataInputStream in) throws IOException {
    return new Failure(
        Encoding.readString(in),
        Encoding.readString(in),
        in.readLong(),
        Stage.valueOf(Encoding.readString(in)),
        FailureClass.valueOf(Encoding.readString(in)),
        Encoding.readString(in));
  }
}
