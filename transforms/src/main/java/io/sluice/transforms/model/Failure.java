package io.sluice.transforms.model;

import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A classified failure: which source, at which stage, of what class and why. {@code docId} is known
 * once the source's bytes were read (a damaged PDF) and absent for failures before that (a
 * traversal name in a ZIP, a truncated archive).
 */
@DefaultCoder(FailureCoder.class)
public record Failure(
    String sourceUri,
    @Nullable String docId,
    long sizeBytes,
    Stage stage,
    FailureClass failureClass,
    String message) {

  public Failure {
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("a failure needs a message saying why");
    }
  }

  public static Failure of(Source source, Stage stage, FailureClass failureClass, String message) {
    return new Failure(
        source.uri(), source.docId(), source.sizeBytes(), stage, failureClass, message);
  }

  public static Failure ofUri(
      String sourceUri, Stage stage, FailureClass failureClass, String message) {
    return new Failure(sourceUri, null, 0, stage, failureClass, message);
  }

  public boolean retryable() {
    return failureClass.retryable();
  }
}
