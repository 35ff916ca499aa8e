package io.sluice.transforms.model;

/**
 * The pipeline stages a document passes, as recorded in the ledger and the failure table, and the
 * backfill's one stage.
 */
public enum Stage {
  READ,
  EXTRACT,
  CHUNK,
  EMBED,
  STORE,
  /** Moving a legacy SQLite row or JSON report into the unified schema. */
  BACKFILL;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
