package io.sluice.transforms.extract;

import io.sluice.transforms.model.FailureClass;

/** Extraction failed in a way that has a class: the document is encrypted, corrupt, not a PDF… */
public final class ExtractionException extends Exception {
  private final FailureClass failureClass;

  public ExtractionException(FailureClass failureClass, String message) {
    super(message);
    this.failureClass = failureClass;
  }

  public FailureClass failureClass() {
    return failureClass;
  }
}
