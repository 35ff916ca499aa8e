package io.sluice.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Encodes a {@link DocumentRecord}: source, metadata, page texts, chunks with vectors, and the
 * stages' times.
 */
public final class DocumentRecordCoder extends ModelCoder<DocumentRecord> {
  private static final DocumentRecordCoder INSTANCE = new DocumentRecordCoder();

  public static DocumentRecordCoder of() {
    return INSTANCE;
  }

  /** What {@code @DefaultCoder} on {@link DocumentRecord} looks up. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(DocumentRecord.class), INSTANCE);
  }

  @Override
  protected void write(DocumentRecord value, DataOutputStream out) throws IOException {
    Encoding.writeSource(out, value.source());
    writeMetadata(value.metadata(), out);
    out.writeInt(value.pageTexts().size());
    for (String page : value.pageTexts()) {
      Encoding.writeString(out, page);
    }
    out.writeInt(value.chunks().size());
    for (Chunk chunk : value.chunks()) {
      writeChunk(chunk, out);
    }
    out.writeInt(value.times().spans().size());
    for (StageTimes.Span span : value.times().spans()) {
      Encoding.writeString(out, span.stage().name());
      out.writeLong(span.startedMillis());
      out.writeLong(span.finishedMillis());
    }
  }

  @Override
  protected DocumentRecord read(DataInputStream in) throws IOException {
    Source source = Encoding.readSource(in);
    DocumentMetadata metadata = readMetadata(in);
    int pageCount = in.readInt();
    List<String> pages = new ArrayList<>(pageCount);
    for (int i = 0; i < pageCount; i++) {
      pages.add(Encoding.readString(in));
    }
    int chunkCount = in.readInt();
    List<Chunk> chunks = new ArrayList<>(chunkCount);
    for (int i = 0; i < chunkCount; i++) {
      chunks.add(readChunk(in));
    }
    int spanCount = in.readInt();
    StageTimes times = StageTimes.NONE;
    for (int i = 0; i < spanCount; i++) {
      times = times.with(Stage.valueOf(Encoding.readString(in)), in.readLong(), in.readLong());
    }
    return new DocumentRecord(source, metadata, pages, chunks, times);
  }

  private static void writeMetadata(DocumentMetadata metadata, DataOutputStream out)
      throws IOException {
    out.writeInt(metadata.pages());
    for (String field :
        new String[] {
          metadata.pdfVersion(),
          metadata.title(),
          metadata.author(),
          metadata.subject(),
          metadata.keywords(),
          metadata.creator(),
          metadata.producer(),
          metadata.created(),
          metadata.modified(),
          metadata.damage()
        }) {
      Encoding.writeString(out, field);
    }
    for (boolean flag :
        new boolean[] {
          metadata.encrypted(),
          metadata.canExtractContent(),
          metadata.canExtractForAccessibility(),
          metadata.canPrint(),
          metadata.canModify()
        }) {
      out.writeBoolean(flag);
    }
  }

  private static DocumentMetadata readMetadata(DataInputStream in) throws IOException {
    int pages = in.readInt();
    String[] fields = new String[10];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = Encoding.readString(in);
    }
    boolean[] flags = new boolean[5];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = in.readBoolean();
    }
    return new DocumentMetadata(
        pages, fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6],
        fields[7], fields[8], flags[0], flags[1], flags[2], flags[3], flags[4], fields[9]);
  }

  private static void writeChunk(Chunk chunk, DataOutputStream out) throws IOException {
    Encoding.writeString(out, chunk.chunkId());
    out.writeInt(chunk.page());
    out.writeInt(chunk.ordinal());
    out.writeInt(chunk.charStart());
    out.writeInt(chunk.charEnd());
    out.writeInt(chunk.tokenCount());
    Encoding.writeString(out, chunk.text());
    Encoding.writeString(out, chunk.textSha256());
    Encoding.writeFloats(out, chunk.embedding());
  }

  private static Chunk readChunk(DataInputStream in) throws IOException {
    return new Chunk(
        Encoding.readString(in),
        in.readInt(),
        in.readInt(),
        in.readInt(),
        in.readInt(),
        in.readInt(),
        Encoding.readString(in),
        Encoding.readString(in),
        Encoding.readFloats(in));
  }
}
