package io.sluice.sinks.arango;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.transforms.model.FailureClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * ArangoDB's classifier, answer by answer: HTTP status and error number as the server sends them.
 */
public class ArangoErrorsTest {
  /** An answer: its HTTP status (null: none came) and error number (null: none in it). */
  private record Answer(Integer status, Integer errorNum) {}

  private static final Map<Answer, FailureClass> EXPECTED = new LinkedHashMap<>();

  static {
    // Transient: a retry can cure them.
    EXPECTED.put(new Answer(null, null), FailureClass.IO_ERROR); // no answer at all
    EXPECTED.put(new Answer(503, 503), FailureClass.IO_ERROR); // service unavailable
    EXPECTED.put(new Answer(502, null), FailureClass.IO_ERROR); // a proxy's bad gateway
    EXPECTED.put(new Answer(429, null), FailureClass.IO_ERROR); // too many requests
    EXPECTED.put(new Answer(504, null), FailureClass.TIMEOUT); // gateway timeout
    EXPECTED.put(new Answer(408, null), FailureClass.TIMEOUT); // request timeout
    EXPECTED.put(new Answer(409, 1200), FailureClass.IO_ERROR); // write-write conflict
    EXPECTED.put(new Answer(500, 18), FailureClass.TIMEOUT); // lock timeout
    EXPECTED.put(new Answer(503, 30), FailureClass.IO_ERROR); // shutting down
    EXPECTED.put(new Answer(503, 1495), FailureClass.IO_ERROR); // leadership challenge
    // Permanent: the same row fails the same way again.
    EXPECTED.put(new Answer(400, 1221), FailureClass.REFUSED); // illegal document key
    EXPECTED.put(new Answer(409, 1210), FailureClass.REFUSED); // unique constraint violated
    EXPECTED.put(new Answer(413, 1216), FailureClass.REFUSED); // document too large
    EXPECTED.put(new Answer(400, 600), FailureClass.REFUSED); // corrupted JSON
    EXPECTED.put(new Answer(404, 1203), FailureClass.REFUSED); // collection not found
    EXPECTED.put(new Answer(401, 11), FailureClass.REFUSED); // forbidden
  }

  @Test
  public void everyAnswerHasTheClassOfItsTable() {
    Map<Answer, FailureClass> actual = new LinkedHashMap<>();
    for (Answer answer : List.copyOf(EXPECTED.keySet())) {
      actual.put(answer, ArangoErrors.classify(answer.status(), answer.errorNum()));
    }
    assertThat(actual, equalTo(EXPECTED));
  }
}
