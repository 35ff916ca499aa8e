package io.sluice.sinks.postgres;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * Rows in PostgreSQL's binary COPY format, for {@code COPY … FROM STDIN (FORMAT binary)}: a vector
 * travels as 384 four-byte floats instead of 384 decimal strings the server must parse. Fields are
 * written in the table's column order, one {@link #row} at a time.
 */
public final class BinaryCopyRows {
  /** PostgreSQL's type id of {@code real} (float4), named in a binary array's header. */
  private static final int FLOAT4_OID = 700;

  private static final byte[] SIGNATURE =
      "PGCOPY\n\u00ff\r\n\u0000".getBytes(StandardCharsets.ISO_8859_1);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);
  private long rows;

  public BinaryCopyRows() {
    try {
      out.write(SIGNATURE);
      out.writeInt(0); // flags
      out.writeInt(0); // header extension length
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a row of {@code fields} fields. */
  public BinaryCopyRows row(int fields) {
    try {
      out.writeShort(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows++;
    return this;
  }

  public BinaryCopyRows text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    try {
      out.writeInt(utf8.length);
      out.write(utf8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public BinaryCopyRows integer(int value) {
    try {
      out.writeInt(4);
      out.writeInt(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A one-dimensional {@code real[]}: the array header, then each element with its length. */
  public BinaryCopyRows realArray(float[] values) {
    // Built in one buffer and written at once: element by element, a vector cost 768 writes.
    ByteBuffer array = ByteBuffer.allocate(24 + values.length * 8);
    array.putInt(20 + values.length * 8); // the field's length
    array.putInt(1); // dimensions
    array.putInt(0); // no nulls
    array.putInt(FLOAT4_OID);
    array.putInt(values.length);
    array.putInt(1); // lower bound
    for (float value : values) {
      array.putInt(4);
      array.putFloat(value);
    }
    try {
      out.write(array.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public long rows() {
    return rows;
  }

  /** Sends the rows with {@code COPY table (columns) FROM STDIN}; returns how many it took. */
  public long copyInto(Connection connection, String tableWithColumns) throws SQLException {
    try {
      out.writeShort(-1); // end of data
      return connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY " + tableWithColumns + " FROM STDIN (FORMAT binary)",
              new ByteArrayInputStream(bytes.toByteArray()));
    } catch (IOException e) {
      throw new SQLException("cannot send rows to COPY " + tableWithColumns, "08006", e);
    }
  }
}
