package io.sluice.transforms.legacy;

/**
 * A legacy value that has no faithful form in the target column, such as a time no parser
 * understands: its row is skipped and reported, never guessed at. {@link #reason()} is the same for
 * every row that fails the same way, so reports can count them.
 */
public final class UnmappableValueException extends Exception {
  private final String reason;

  UnmappableValueException(String column, String reason, String value) {
    super(column + " " + reason + ": '" + abbreviate(value) + "'");
    this.reason = column + " " + reason;
  }

  public String reason() {
    return reason;
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
