package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.transforms.model.FailureClass;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

/** PostgreSQL's classifier, SQLSTATE by SQLSTATE, as the server and the driver report them. */
public class PostgresErrorsTest {
  private static final Map<String, FailureClass> EXPECTED = new LinkedHashMap<>();

  static {
    // Transient: a retry can cure them.
    EXPECTED.put("08006", FailureClass.IO_ERROR); // connection failure
    EXPECTED.put("08001", FailureClass.IO_ERROR); // cannot connect now
    EXPECTED.put("40001", FailureClass.IO_ERROR); // serialization failure
    EXPECTED.put("40P01", FailureClass.IO_ERROR); // deadlock detected
    EXPECTED.put("53300", FailureClass.IO_ERROR); // too many connections
    EXPECTED.put("53100", FailureClass.IO_ERROR); // disk full
    EXPECTED.put("57P01", FailureClass.IO_ERROR); // admin shutdown
    EXPECTED.put("57P02", FailureClass.IO_ERROR); // crash shutdown
    EXPECTED.put("57P03", FailureClass.IO_ERROR); // cannot connect now (starting up)
    EXPECTED.put("58030", FailureClass.IO_ERROR); // I/O error on the server
    EXPECTED.put("57014", FailureClass.TIMEOUT); // statement timeout, query cancelled
    EXPECTED.put("55P03", FailureClass.TIMEOUT); // lock not available (lock_timeout)
    // Permanent: the same record fails the same way again.
    EXPECTED.put("23505", FailureClass.REFUSED); // unique violation
    EXPECTED.put("23514", FailureClass.REFUSED); // check violation
    EXPECTED.put("23503", FailureClass.REFUSED); // foreign key violation
    EXPECTED.put("22P02", FailureClass.REFUSED); // invalid text representation
    EXPECTED.put("22021", FailureClass.REFUSED); // a NUL byte in text
    EXPECTED.put("54000", FailureClass.REFUSED); // program limit exceeded (a row too big)
    EXPECTED.put("42P01", FailureClass.REFUSED); // undefined table
    EXPECTED.put("XX000", FailureClass.REFUSED); // internal error
    EXPECTED.put("57000", FailureClass.REFUSED); // operator intervention, not a restart
  }

  @Test
  public void everySqlStateHasTheClassOfItsTable() {
    Map<String, FailureClass> actual = new LinkedHashMap<>();
    EXPECTED
        .keySet()
        .forEach(
            state -> actual.put(state, PostgresErrors.classify(new SQLException("test", state))));
    assertThat(actual, equalTo(EXPECTED));
  }

  @Test
  public void aLostSocketWithoutStateIsTransientAndAnythingElseWithoutStateIsNot() {
    assertThat(
        PostgresErrors.classify(new SQLException("gone", null, new IOException("reset"))),
        equalTo(FailureClass.IO_ERROR));
    assertThat(
        PostgresErrors.classify(new SQLTransientConnectionException("pool timed out")),
        equalTo(FailureClass.IO_ERROR));
    assertThat(PostgresErrors.classify(new SQLException("odd")), equalTo(FailureClass.REFUSED));
  }
}
