package io.sluice.transforms.model;

/**
 * What went wrong with a source, in the words stored in {@code ingestion.documents.status} and
 * {@code observability.request_failures.error_class}, and whether trying again can help.
 */
public enum FailureClass {
  /** A readable container with nothing to extract, such as a ZIP archive without members. */
  NO_TEXT("no_text", false),
  ENCRYPTED("encrypted", false),
  CORRUPT("corrupt", false),
  NOT_PDF("not_pdf", false),
  TOO_LARGE("too_large", false),
  /** Refused on purpose: path traversal, decompression bombs, forbidden extraction. */
  REJECTED("rejected", false),
  /** A legacy value or report the backfill cannot convert faithfully: skipped, and said why. */
  INVALID("invalid", false),
  /**
   * Failed the same retryable way in too many runs: no longer retried on its own. Recorded for the
   * run that gave up; the document keeps the class it failed with.
   */
  QUARANTINED("quarantined", false),
  /**
   * A store refused the record for good: a constraint, a value it cannot hold, an item ArangoDB
   * rejects. Settles the document until a run asks for failed documents to be retried.
   */
  REFUSED("refused", false),
  /**
   * A stage threw what it did not anticipate (a defect, a model that failed on this input): tried
   * again by later runs, and quarantined when it keeps happening.
   */
  UNEXPECTED("unexpected", true),
  TIMEOUT("timeout", true),
  IO_ERROR("io_error", true);

  private final String code;
  private final boolean retryable;

  FailureClass(String code, boolean retryable) {
    this.code = code;
    this.retryable = retryable;
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }
}
