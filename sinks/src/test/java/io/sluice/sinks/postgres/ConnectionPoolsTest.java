package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.Test;

public class ConnectionPoolsTest {
  @Test
  public void aPoolWhoseFirstConnectionIsCutDuringSetupStillHandsOutConnections() throws Exception {
    DatabaseConfig database = TestDatabases.empty();
    Duration tenSeconds = Duration.ofSeconds(10);
    try (CuttingRelay relay =
        CuttingRelay.cuttingFirstConnectionAt(database, "SHOW TRANSACTION ISOLATION LEVEL")) {
      DatabaseConfig throughRelay =
          relay.database().withLimits(new ConnectionLimits(2, tenSeconds, tenSeconds, tenSeconds));
      // The pool asks its first connection about isolation while setting it up; the relay cuts
      // that connection then. A pool that learnt nothing from the lost answer must still work.
      try (ConnectionPools.Lease pool = ConnectionPools.lease(throughRelay);
          Connection connection = pool.connection();
          Statement statement = connection.createStatement();
          ResultSet isolation = statement.executeQuery("SHOW transaction_isolation")) {
        isolation.next();
        assertThat(relay.cut(), equalTo(true));
        assertThat(isolation.getString(1), equalTo("read committed"));
      }
    }
  }
}
