package io.sluice.transforms.model;

/** The pipeline stages a document passes, as recorded in the ledger and the failure table. */
public enum Stage {
  READ,
  EXTRACT,
  CHUNK,
  EMBED,
  STORE;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
