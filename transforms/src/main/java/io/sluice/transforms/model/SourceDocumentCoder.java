package io.sluice.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes a {@link SourceDocument}: its source and its bytes. */
public final class SourceDocumentCoder extends ModelCoder<SourceDocument> {
  private static final SourceDocumentCoder INSTANCE = new SourceDocumentCoder();

  public static SourceDocumentCoder of() {
    return INSTANCE;
  }

  /** What {@code @DefaultCoder} on {@link SourceDocument} looks up. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(SourceDocument.class), INSTANCE);
  }

  @Override
  protected void write(SourceDocument value, DataOutputStream out) throws IOException {
    Encoding.writeSource(out, value.source());
    Encoding.writeBytes(out, value.content());
  }

  @Override
  protected SourceDocument read(DataInputStream in) throws IOException {
    return new SourceDocument(Encoding.readSource(in), Encoding.readBytes(in));
  }
}
