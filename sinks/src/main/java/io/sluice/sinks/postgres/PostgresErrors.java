package io.sluice.sinks.postgres;

import io.sluice.transforms.model.FailureClass;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;

/**
 * PostgreSQL's error classifier: what a SQLSTATE means for the record that met it. A retry can cure
 * lost or refused connections (class 08), serialization failures and deadlocks (40001, 40P01),
 * exhausted resources (class 53), server shutdown or restart (57P01–57P03), a server-side I/O error
 * (58030) and, as timeouts, a statement or lock timeout (57014, 55P03). Anything else (a
 * constraint, a value the column cannot hold, a missing table) fails the same way again: the store
 * refused the record, and the document is settled as {@code refused}.
 */
public final class PostgresErrors {
  /** Exact SQLSTATEs first, then two-character classes. */
  private static final Map<String, FailureClass> TRANSIENT =
      Map.ofEntries(
          Map.entry("40001", FailureClass.IO_ERROR),
          Map.entry("40P01", FailureClass.IO_ERROR),
          Map.entry("57P01", FailureClass.IO_ERROR),
          Map.entry("57P02", FailureClass.IO_ERROR),
          Map.entry("57P03", FailureClass.IO_ERROR),
          Map.entry("58030", FailureClass.IO_ERROR),
          Map.entry("57014", FailureClass.TIMEOUT),
          Map.entry("55P03", FailureClass.TIMEOUT),
          Map.entry("08", FailureClass.IO_ERROR),
          Map.entry("53", FailureClass.IO_ERROR));

  private PostgresErrors() {}

  /** What to show of a failure in one line: the server's first line, or the SQLSTATE. */
  public static String firstLine(SQLException e) {
    return e.getMessage() == null
        ? e.getSQLState()
        : e.getMessage().lines().findFirst().orElse(e.getSQLState());
  }

  static FailureClass classify(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return FailureClass.IO_ERROR;
    }
    String state = e.getSQLState();
    if (state == null) {
      // The driver reports I/O failures without a state when the socket is gone.
      return e.getCause() instanceof java.io.IOException
          ? FailureClass.IO_ERROR
          : FailureClass.REFUSED;
    }
    FailureClass exact = TRANSIENT.get(state);
    if (exact != null) {
      return exact;
    }
    return TRANSIENT.getOrDefault(
        state.substring(0, Math.min(2, state.length())), FailureClass.REFUSED);
  }

  static boolean isTransient(SQLException e) {
    return classify(e).retryable();
  }
}
