package io.sluice.transforms.legacy;

import io.sluice.transforms.model.Encoding;
import io.sluice.transforms.model.ModelCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes a {@link LegacyRecord}: group, source, id, then each row's table and values. */
public final class LegacyRecordCoder extends ModelCoder<LegacyRecord> {
  private static final LegacyRecordCoder INSTANCE = new LegacyRecordCoder();

  public static LegacyRecordCoder of() {
    return INSTANCE;
  }

  /** What {@code @DefaultCoder} on {@link LegacyRecord} looks up. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(LegacyRecord.class), INSTANCE);
  }

  @Override
  protected void write(LegacyRecord value, DataOutputStream out) throws IOException {
    Encoding.writeString(out, value.group());
    Encoding.writeString(out, value.source());
    Encoding.writeString(out, value.id());
    out.writeInt(value.rows().size());
    for (TargetRow row : value.rows()) {
      Encoding.writeString(out, row.table());
      out.writeInt(row.values().size());
      for (String cell : row.values()) {
        Encoding.writeString(out, cell);
      }
    }
  }

  @Override
  protected LegacyRecord read(DataInputStream in) throws IOException {
    String group = Encoding.readString(in);
    String source = Encoding.readString(in);
    String id = Encoding.readString(in);
    int rowCount = in.readInt();
    List<TargetRow> rows = new ArrayList<>(rowCount);
    for (int r = 0; r < rowCount; r++) {
      String table = Encoding.readString(in);
      int cellCount = in.readInt();
      List<String> values = new ArrayList<>(cellCount);
      for (int c = 0; c < cellCount; c++) {
        values.add(Encoding.readString(in));
      }
      rows.add(new TargetRow(table, values));
    }
    return new LegacyRecord(group, source, id, rows);
  }
}
