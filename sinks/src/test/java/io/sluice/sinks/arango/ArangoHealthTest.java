package io.sluice.sinks.arango;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.arangodb.ArangoDB;
import com.arangodb.Protocol;
import io.sluice.sinks.core.Health;
import io.sluice.testing.arango.ArangoStandIn;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@link ArangoHealth} against the wire-level stand-in: up, refusing, without the database, down.
 */
public class ArangoHealthTest {
  private ArangoStandIn standIn;

  @Before
  public void start() throws Exception {
    standIn = ArangoStandIn.start("root", "graph-secret");
  }

  @After
  public void stop() {
    standIn.close();
  }

  private ArangoConfig config(String password, boolean createDatabase) {
    return new ArangoConfig(
        "http://127.0.0.1:" + standIn.port(),
        "sluice",
        "root",
        password,
        Protocol.HTTP_JSON,
        createDatabase);
  }

  @Test
  public void aServerWithTheGraphIsHealthyAndSaysItsVersion() {
    ArangoConfig config = config("graph-secret", true);
    ArangoDB arango = config.connect();
    try {
      ArangoGraph.ensure(arango, config);
    } finally {
      arango.shutdown();
    }

    Health health = ArangoHealth.check(config);

    assertThat(health.reason(), health.ok(), equalTo(true));
    assertThat(health.reason(), containsString("ArangoDB 3.12.4, user root"));
    assertThat(health.reason(), containsString("database sluice present; graph sluice present"));
  }

  @Test
  public void aDatabaseTheIngestMayCreateIsHealthyAndOneItMayNotIsFailing() {
    Health mayCreate = ArangoHealth.check(config("graph-secret", true));
    Health mayNot = ArangoHealth.check(config("graph-secret", false));

    assertThat(mayCreate.reason(), mayCreate.ok(), equalTo(true));
    assertThat(mayCreate.reason(), containsString("absent (the next ingest creates it)"));
    assertThat(mayNot.ok(), equalTo(false));
    assertThat(
        mayNot.reason(),
        containsString("database sluice does not exist (--arangoCreateDatabase creates it)"));
  }

  @Test
  public void aRefusedPasswordIsFailingWithoutThePassword() {
    Health health = ArangoHealth.check(config("wrong-secret", true));

    assertThat(health.ok(), equalTo(false));
    assertThat(health.reason(), containsString("refused user root (HTTP 401)"));
    assertThat(health.toString(), not(containsString("wrong-secret")));
  }

  @Test
  public void aServerThatWentAwayIsFailingAndHealthyWhenItIsBack() throws Exception {
    ArangoConfig config = config("graph-secret", true);
    int port = standIn.port();
    standIn.close();

    Health down = ArangoHealth.check(config);
    standIn = ArangoStandIn.start("root", "graph-secret", port);
    Health up = ArangoHealth.check(config);

    assertThat(down.ok(), equalTo(false));
    assertThat(down.reason(), containsString("cannot reach http://127.0.0.1:" + port));
    assertThat(up.reason(), up.ok(), equalTo(true));
  }
}
