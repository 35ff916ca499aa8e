package io.sluice.transforms.extract;

import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.DocumentRecordCoder;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.model.SourceDocumentCoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * A parser process: reads documents from its standard input one at a time and answers each on its
 * standard output with the extracted record or the classified reason it has none. It ends when its
 * input closes, which is also what happens when the pipeline's JVM dies, so no parser outlives the
 * pipeline that started it.
 *
 * <p>The conversation, both sides of which live here: the process first writes {@link #READY}; then
 * for each document the parent writes the {@link SourceDocument} and the process answers {@link
 * #EXTRACTED} and the {@link DocumentRecord}, or {@link #REFUSED}, the failure class and the
 * message.
 */
public final class ExtractionWorker {
  static final int READY = 'R';
  static final int EXTRACTED = 'E';
  static final int REFUSED = 'X';

  /** writeUTF's limit is 64 KiB; a reason is a sentence, never that long. */
  private static final int MAX_MESSAGE_CHARS = 4_000;

  private ExtractionWorker() {}

  /** What a parser process does with one document. */
  interface Extraction {
    DocumentRecord extract(SourceDocument source) throws ExtractionException;
  }

  public static void main(String[] args) throws IOException {
    serveStandardStreams(new PdfTextExtractor(settings(args))::extract);
  }

  /** Serves on this process's standard streams until the parent closes its input. */
  static void serveStandardStreams(Extraction extraction) throws IOException {
    // The protocol owns standard output: a library that prints must not corrupt it.
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    System.setOut(System.err);
    serve(extraction, System.in, protocol);
  }

  private static void serve(Extraction extractor, InputStream input, OutputStream output)
      throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(input));
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(output));
    out.write(READY);
    out.flush();
    while (true) {
      SourceDocument source;
      try {
        source = readRequest(in);
      } catch (EOFException parentClosed) {
        return;
      }
      try {
        DocumentRecord document = extractor.extract(source);
        out.write(EXTRACTED);
        DocumentRecordCoder.of().encode(document, out);
      } catch (ExtractionException refused) {
        out.write(REFUSED);
        out.writeUTF(refused.failureClass().name());
        out.writeUTF(shortened(refused.getMessage()));
      }
      out.flush();
    }
  }

  /** Reads a request; end of input between requests is the parent saying goodbye. */
  static SourceDocument readRequest(DataInputStream in) throws IOException {
    in.mark(1);
    if (in.read() < 0) {
      throw new EOFException();
    }
    in.reset();
    return SourceDocumentCoder.of().decode(in);
  }

  static void writeRequest(DataOutputStream out, SourceDocument source) throws IOException {
    SourceDocumentCoder.of().encode(source, out);
    out.flush();
  }

  /** The answer to one request: the record, or the classified refusal thrown. */
  static DocumentRecord readAnswer(DataInputStream in) throws IOException, ExtractionException {
    int tag = in.read();
    if (tag == EXTRACTED) {
      return DocumentRecordCoder.of().decode(in);
    }
    if (tag == REFUSED) {
      FailureClass failureClass = FailureClass.valueOf(in.readUTF());
      throw new ExtractionException(failureClass, in.readUTF());
    }
    throw new EOFException(tag < 0 ? "the parser process ended" : "unexpected answer " + tag);
  }

  static void awaitReady(DataInputStream in) throws IOException {
    int first = in.read();
    if (first != READY) {
      throw new EOFException("the parser process did not start (first byte " + first + ")");
    }
  }

  /** The command-line arguments that carry the settings a parser process needs. */
  static List<String> arguments(ExtractionSettings settings) {
    return List.of(
        Integer.toString(settings.maxPages()),
        Boolean.toString(settings.honourPermissions()),
        Integer.toString(settings.minTextCharacters()),
        Double.toString(settings.minTextPageFraction()));
  }

  static ExtractionSettings settings(String[] args) {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: ExtractionWorker maxPages honourPermissions minTextCharacters minTextPageFraction");
    }
    // The time limit and the process settings are the parent's business.
    ExtractionSettings defaults = ExtractionSettings.defaults();
    return new ExtractionSettings(
        Duration.ofDays(1),
        Integer.parseInt(args[0]),
        Boolean.parseBoolean(args[1]),
        Integer.parseInt(args[2]),
        Double.parseDouble(args[3]),
        defaults.parserHeapMb(),
        defaults.parserProcesses());
  }

  private static String shortened(String message) {
    String text = String.valueOf(message);
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
