package io.sluice.transforms.read;

import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Source;
import io.sluice.transforms.model.SourceDocument;
import io.sluice.transforms.model.Stage;
import io.sluice.transforms.retry.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Turns one matched file into documents and failures. A ZIP archive is streamed entry by entry
 * (never through its central directory, so archives on object stores and truncated archives are
 * read as far as they go); nested archives are followed to a bounded depth; every member either
 * becomes a document or a classified failure. Nothing is written to disk.
 */
final class SourceReader {
  /** Opens the file's bytes; called once per file. */
  interface Opener {
    InputStream open() throws IOException;
  }

  private static final int BUFFER = 64 * 1024;

  /** Re-reads of a file after its store failed: about a minute in all before it is an io_error. */
  private static final RetryPolicy READ_RETRIES =
      new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(15));

  private static final Counter REREADS = Metrics.counter(ReadSources.class, "sources_reread");

  private final ReadLimits limits;

  SourceReader(ReadLimits limits) {
    this.limits = limits;
  }

  static boolean isArchiveName(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  void read(String uri, long sizeBytes, Opener opener, SourceEmitter out) {
    if (!isArchiveName(uri) && sizeBytes > limits.maxDocumentBytes()) {
      out.failure(
          new Failure(
              uri,
              null,
              sizeBytes,
              Stage.READ,
              FailureClass.TOO_LARGE,
              "file is " + sizeBytes + " bytes, above the limit of " + limits.maxDocumentBytes()));
      return;
    }
    RetryPolicy.Attempts attempts = READ_RETRIES.attempts("read " + uri, REREADS);
    while (true) {
      try (InputStream in = new SourceStream(opener.open())) {
        if (isArchiveName(uri)) {
          expandArchive(uri, in, 1, new ArchiveBudget(), out);
        } else {
          byte[] content = readBounded(in, (total, compressed) -> checkDocumentSize(total));
          out.document(document(uri, content));
        }
        return;
      } catch (LimitExceededException e) {
        out.failure(Failure.ofUri(uri, Stage.READ, FailureClass.TOO_LARGE, e.getMessage()));
        return;
      } catch (IOException e) {
        // The store failed, not the file (a damaged archive is handled inside): read the file
        // again from the start, so an object store that restarts costs time, not the document.
        // Members of an archive read before the failure are emitted again; the sinks are
        // idempotent.
        if (!waitBeforeRetry(attempts, e)) {
          out.failure(
              Failure.ofUri(uri, Stage.READ, FailureClass.IO_ERROR, "cannot read source: " + e));
          return;
        }
      }
    }
  }

  private static boolean waitBeforeRetry(RetryPolicy.Attempts attempts, IOException cause) {
    try {
      return attempts.waitBeforeNext(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static SourceDocument document(String uri, byte[] content) {
    return new SourceDocument(new Source(uri, Keys.docId(content), content.length), content);
  }

  /** Counts entries and inflated bytes across one top-level archive and all it nests. */
  private static final class ArchiveBudget {
    long entries;
    long inflatedBytes;
  }

  private void expandArchive(
      String archiveUri, InputStream in, int depth, ArchiveBudget budget, SourceEmitter out)
      throws IOException {
    Set<String> names = new HashSet<>();
    int members = 0;
    @SuppressWarnings("deprecation") // the builder form is not in every 1.2x release
    ZipArchiveInputStream zip =
        new ZipArchiveInputStream(
            CloseShieldInputStream.wrap(in), StandardCharsets.UTF_8.name(), true, true);
    try (zip) {
      ZipArchiveEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.isDirectory()) {
          continue;
        }
        members++;
        if (++budget.entries > limits.maxArchiveEntries()) {
          out.failure(
              Failure.ofUri(
                  archiveUri,
                  Stage.READ,
                  FailureClass.REJECTED,
                  "archive holds more than "
                      + limits.maxArchiveEntries()
                      + " entries; the rest was not read"));
          return;
        }
        Optional<String> unsafe = EntryNames.whyUnsafe(entry.getName());
        if (unsafe.isPresent()) {
          out.failure(
              Failure.ofUri(
                  archiveUri + "!/" + EntryNames.printable(entry.getName()),
                  Stage.READ,
                  FailureClass.REJECTED,
                  "unsafe member name: " + unsafe.get()));
          continue;
        }
        String memberUri =
            archiveUri + "!/" + EntryNames.unique(EntryNames.normalize(entry.getName()), names);
        if (!zip.canReadEntryData(entry)) {
          out.failure(unreadableMember(memberUri, entry));
          continue;
        }
        if (isArchiveName(memberUri)) {
          if (depth >= limits.maxArchiveDepth()) {
            out.failure(
                Failure.ofUri(
                    memberUri,
                    Stage.READ,
                    FailureClass.REJECTED,
                    "archive nested deeper than " + limits.maxArchiveDepth() + " levels"));
          } else {
            expandArchive(memberUri, zip, depth + 1, budget, out);
          }
          continue;
        }
        try {
          byte[] content = readBounded(zip, (total, read) -> checkMember(zip, total, read, budget));
          out.document(document(memberUri, content));
        } catch (LimitExceededException e) {
          // Reading on would inflate the bomb to skip it: the rest of the archive is abandoned.
          out.failure(Failure.ofUri(memberUri, Stage.READ, FailureClass.REJECTED, e.getMessage()));
          out.failure(
              Failure.ofUri(
                  archiveUri,
                  Stage.READ,
                  FailureClass.REJECTED,
                  "archive abandoned at member " + memberUri + ": " + e.getMessage()));
          return;
        }
      }
    } catch (UnsupportedZipFeatureException e) {
      FailureClass failureClass =
          e.getFeature() == UnsupportedZipFeatureException.Feature.ENCRYPTION
              ? FailureClass.ENCRYPTED
              : FailureClass.CORRUPT;
      out.failure(
          Failure.ofUri(
              archiveUri,
              Stage.READ,
              failureClass,
              "archive unreadable after " + members + " members: " + e.getMessage()));
      return;
    } catch (SourceStream.SourceIoException e) {
      throw e;
    } catch (IOException e) {
      // Whatever else the ZIP reader throws is about the archive's bytes, not their transport.
      out.failure(
          Failure.ofUri(
              archiveUri,
              Stage.READ,
              FailureClass.CORRUPT,
              "archive damaged or truncated after " + members + " members: " + e.getMessage()));
      return;
    }
    if (members == 0) {
      out.failure(
          Failure.ofUri(archiveUri, Stage.READ, FailureClass.NO_TEXT, "archive has no members"));
    }
  }

  private static Failure unreadableMember(String memberUri, ZipArchiveEntry entry) {
    if (entry.getGeneralPurposeBit().usesEncryption()) {
      return Failure.ofUri(
          memberUri,
          Stage.READ,
          FailureClass.ENCRYPTED,
          "member is encrypted; sluice does not take archive passwords");
    }
    return Failure.ofUri(
        memberUri,
        Stage.READ,
        FailureClass.CORRUPT,
        "member uses an unsupported compression method (" + entry.getMethod() + ")");
  }

  private void checkDocumentSize(long total) throws LimitExceededException {
    if (total > limits.maxDocumentBytes()) {
      throw new LimitExceededException(
          "more than " + limits.maxDocumentBytes() + " bytes, above the document size limit");
    }
  }

  private void checkMember(ZipArchiveInputStream zip, long total, int read, ArchiveBudget budget)
      throws LimitExceededException {
    checkDocumentSize(total);
    budget.inflatedBytes += read;
    if (budget.inflatedBytes > limits.maxArchiveBytes()) {
      throw new LimitExceededException(
          "archive inflates past " + limits.maxArchiveBytes() + " bytes in total");
    }
    long compressed = Math.max(1, zip.getCompressedCount());
    if (total > ReadLimits.RATIO_GRACE_BYTES && total > compressed * limits.maxCompressionRatio()) {
      throw new LimitExceededException(
          "decompression bomb: "
              + total
              + " bytes inflated from "
              + compressed
              + " compressed, above the ratio limit of "
              + limits.maxCompressionRatio()
              + ":1");
    }
  }

  /** Checks a read in progress: bytes so far, bytes in the last read. */
  private interface ReadGuard {
    void check(long total, int read) throws LimitExceededException;
  }

  private static byte[] readBounded(InputStream in, ReadGuard guard) throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int read;
    while ((read = in.read(buffer)) != -1) {
      total += read;
      guard.check(total, read);
      content.write(buffer, 0, read);
    }
    return content.toByteArray();
  }
}
