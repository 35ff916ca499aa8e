package io.sluice.sinks.arango;

import com.arangodb.ArangoDBException;
import io.sluice.transforms.model.FailureClass;
import java.util.Map;

/**
 * ArangoDB's error classifier: what an answer means for the rows that met it, from its HTTP status
 * and ArangoDB error number. A retry can cure no answer at all (the driver gave up on every host, a
 * connection cut mid-answer), an overloaded or unavailable server (429, 502, 503, 504), a
 * write-write conflict (1200), a lock or request timeout (18, 408, 1500), a shutting-down server
 * (30) and a cluster that lost its leader or a shard (1449, 1457, 1462, 1495). Anything else (an
 * illegal key 1221, a unique constraint 1210, a document too large 1216, bad JSON 600) fails the
 * same way again: the store refused the row, and the document is settled as {@code refused}.
 */
final class ArangoErrors {
  static final int WRITE_WRITE_CONFLICT = 1200;

  private static final Map<Integer, FailureClass> TRANSIENT_ERRORS =
      Map.ofEntries(
          Map.entry(WRITE_WRITE_CONFLICT, FailureClass.IO_ERROR),
          Map.entry(18, FailureClass.TIMEOUT),
          Map.entry(1500, FailureClass.TIMEOUT),
          Map.entry(30, FailureClass.IO_ERROR),
          Map.entry(1449, FailureClass.IO_ERROR),
          Map.entry(1457, FailureClass.TIMEOUT),
          Map.entry(1462, FailureClass.IO_ERROR),
          Map.entry(1495, FailureClass.IO_ERROR));

  private static final Map<Integer, FailureClass> TRANSIENT_STATUSES =
      Map.of(
          408, FailureClass.TIMEOUT,
          429, FailureClass.IO_ERROR,
          502, FailureClass.IO_ERROR,
          503, FailureClass.IO_ERROR,
          504, FailureClass.TIMEOUT);

  private ArangoErrors() {}

  /** The class of an answer; a null status means no answer came. */
  static FailureClass classify(Integer httpStatus, Integer errorNum) {
    if (httpStatus == null && errorNum == null) {
      return FailureClass.IO_ERROR;
    }
    if (errorNum != null && TRANSIENT_ERRORS.containsKey(errorNum)) {
      return TRANSIENT_ERRORS.get(errorNum);
    }
    if (httpStatus != null && TRANSIENT_STATUSES.containsKey(httpStatus)) {
      return TRANSIENT_STATUSES.get(httpStatus);
    }
    return FailureClass.REFUSED;
  }

  static FailureClass classify(ArangoDBException e) {
    return classify(e.getResponseCode(), e.getErrorNum());
  }

  static boolean isTransient(ArangoDBException e) {
    return classify(e).retryable();
  }
}
