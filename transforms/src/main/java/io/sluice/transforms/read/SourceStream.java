package io.sluice.transforms.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A source's byte stream that marks its own I/O failures, so that a lost connection or a disk error
 * (worth a retry) is told apart from a damaged archive that the ZIP reader gives up on (not worth
 * one), though both surface as {@link IOException}.
 */
final class SourceStream extends FilterInputStream {
  /** The source itself could not be read. */
  static final class SourceIoException extends IOException {
    SourceIoException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  SourceStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw new SourceIoException(e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      return super.read(buffer, offset, length);
    } catch (IOException e) {
      throw new SourceIoException(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException e) {
      throw new SourceIoException(e);
    }
  }
}
