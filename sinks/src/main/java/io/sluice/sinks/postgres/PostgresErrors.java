package io.sluice.sinks.postgres;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Which SQL errors a retry can cure: lost or refused connections (class 08), serialization
 * failures and deadlocks (40001, 40P01), exhausted resources (class 53) and server shutdown or
 * restart (57P01–57P03). Anything else (a constraint, a type error) fails the same way again.
 */
final class TransientSqlErrors {
  private TransientSqlErrors() {}

  static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    if (state == null) {
      // The driver reports I/O failures without a state when the socket is gone.
      return e.getCause() instanceof java.io.IOException;
    }
    return state.startsWith("08")
        || state.equals("40001")
        || state.equals("40P01")
        || state.startsWith("53")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03");
  }
}
