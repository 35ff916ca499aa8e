package io.sluice.transforms.extract;

import io.sluice.transforms.model.DocumentRecord;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.SourceDocument;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;

/**
 * One running parser process, as its parent sees it. A document that outlives its time limit is
 * abandoned by killing the process: nothing the parsing code does, such as ignoring interrupts, can
 * keep it running. A process is used for one document at a time.
 */
final class ParserProcess implements AutoCloseable {
  /** What HotSpot exits with under {@code -XX:+ExitOnOutOfMemoryError}. */
  private static final int OUT_OF_MEMORY_EXIT = 3;

  private static final Duration STARTUP_LIMIT = Duration.ofMinutes(1);

  /** The parser needs nothing else of the environment, and must not hold the secrets in it. */
  private static final List<String> INHERITED_ENVIRONMENT = List.of("PATH", "HOME", "LANG", "TZ");

  private final Process process;
  private final Path scratch;
  private final int heapMb;
  private final DataOutputStream requests;
  private final DataInputStream answers;
  private volatile boolean abandoned;

  private ParserProcess(Process process, Path scratch, int heapMb) {
    this.process = process;
    this.scratch = scratch;
    this.heapMb = heapMb;
    this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
    this.answers = new DataInputStream(new BufferedInputStream(process.getInputStream()));
  }

  /** Starts a parser process running {@code mainClass} and waits until it is ready. */
  static ParserProcess start(
      ExtractionSettings settings, Class<?> mainClass, ScheduledExecutorService watchdog)
      throws IOException {
    Path scratch = Files.createTempDirectory("sluice-parser-");
    String classPath = classPath(mainClass, scratch);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + settings.parserHeapMb() + "m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-Djava.awt.headless=true",
                // The job jar carries no log backend: PDFBox's complaints about a damaged file
                // are dropped (extraction reports the damage), without SLF4J saying so first.
                "-Dslf4j.internal.verbosity=ERROR",
                // PDFBox keeps parsed objects beyond its memory budget in temporary files: here,
                // where
                // they are deleted with the process whatever way it ends.
                "-Djava.io.tmpdir=" + scratch,
                "-cp",
                classPath,
                mainClass.getName()));
    command.addAll(ExtractionWorker.arguments(settings));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> environment = builder.environment();
    environment.keySet().retainAll(INHERITED_ENVIRONMENT);
    ParserProcess parser = new ParserProcess(builder.start(), scratch, settings.parserHeapMb());
    ScheduledFuture<?> deadline =
        watchdog.schedule(parser::kill, STARTUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ExtractionWorker.awaitReady(parser.answers);
      return parser;
    } catch (IOException e) {
      parser.close();
      throw new IOException(
          "cannot start a parser process (class path " + classPath + "): " + e.getMessage(), e);
    } finally {
      deadline.cancel(false);
    }
  }

  /**
   * Extracts one document, killing the process if it takes longer than {@code limit}. A document
   * the process refused, or that ended the process, comes back as a classified failure.
   */
  DocumentRecord extract(SourceDocument source, Duration limit, ScheduledExecutorService watchdog)
      throws ExtractionException {
    ScheduledFuture<?> deadline =
        watchdog.schedule(this::abandon, limit.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ExtractionWorker.writeRequest(requests, source);
      return ExtractionWorker.readAnswer(answers);
    } catch (IOException ended) {
      throw whyItEnded(limit);
    } finally {
      deadline.cancel(false);
    }
  }

  /** Whether the process can take another document. */
  boolean usable() {
    return !abandoned && process.isAlive();
  }

  private ExtractionException whyItEnded(Duration limit) {
    if (abandoned) {
      return new ExtractionException(
          FailureClass.TIMEOUT,
          "extraction took longer than "
              + limit.toSeconds()
              + " s; the parser was stopped and the document abandoned");
    }
    int exit = exitCode();
    if (exit == OUT_OF_MEMORY_EXIT) {
      return new ExtractionException(
          FailureClass.TOO_LARGE,
          "parsing needs more than "
              + heapMb
              + " MiB of memory (the parser's heap, --parserHeapMb); refused");
    }
    return new ExtractionException(
        FailureClass.CORRUPT,
        "the parser process died while parsing this document (exit code " + exit + ")");
  }

  private int exitCode() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void abandon() {
    abandoned = true;
    kill();
  }

  private void kill() {
    process.destroyForcibly();
  }

  /** Ends the process (closing its input is enough for a healthy one) and removes its files. */
  @Override
  public void close() {
    try {
      requests.close();
    } catch (IOException alreadyGone) {
      // A dead process's pipe cannot be closed cleanly; killing it below is what matters.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        kill();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
    deleteScratch();
  }

  private void deleteScratch() {
    // Temporary files the operating system will also clean: never worth failing a document.
    FileUtils.deleteQuietly(scratch.toFile());
  }

  /**
   * The class path the parser runs from: the job jar when sluice runs from one (on a Flink cluster,
   * the copy of the job jar the task manager received; its own class path does not hold sluice),
   * otherwise this JVM's class path. A task manager keeps that copy under a folder named after its
   * address, colon included, which a class path cannot hold: the process then reaches the jar
   * through a link in its scratch folder.
   */
  private static String classPath(Class<?> mainClass, Path scratch) throws IOException {
    CodeSource own = mainClass.getProtectionDomain().getCodeSource();
    CodeSource pdfbox =
        org.apache.pdfbox.pdmodel.PDDocument.class.getProtectionDomain().getCodeSource();
    if (own == null || pdfbox == null || !own.getLocation().equals(pdfbox.getLocation())) {
      return System.getProperty("java.class.path");
    }
    Path jar;
    try {
      jar = Path.of(own.getLocation().toURI());
    } catch (java.net.URISyntaxException | IllegalArgumentException notAFile) {
      return System.getProperty("java.class.path");
    }
    if (!jar.toString().contains(java.io.File.pathSeparator)) {
      return jar.toString();
    }
    return Files.createSymbolicLink(scratch.resolve("job.jar"), jar).toString();
  }
}
