package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.Test;

public class BinaryCopyRowsTest {
  @Test
  public void textIntegersAndRealArraysArriveExactly() throws Exception {
    DatabaseConfig database = TestDatabases.fresh();
    float[] vector = {0.1f, -2.5f, Float.MIN_VALUE, 3.4028235e38f, 0f};
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE copied (name text, n integer, v real[])");
      BinaryCopyRows rows = new BinaryCopyRows();
      rows.row(3).text("Zürich ✓ 東京").integer(-7).realArray(vector);
      rows.row(3).text("").integer(Integer.MAX_VALUE).realArray(new float[0]);
      assertThat(rows.copyInto(connection, "copied (name, n, v)"), equalTo(2L));

      try (ResultSet result = statement.executeQuery("SELECT name, n, v FROM copied ORDER BY n")) {
        result.next();
        assertThat(result.getString(1), equalTo("Zürich ✓ 東京"));
        assertThat(result.getInt(2), equalTo(-7));
        Float[] stored = (Float[]) result.getArray(3).getArray();
        for (int i = 0; i < vector.length; i++) {
          assertThat(
              "element " + i,
              Float.floatToIntBits(stored[i]),
              equalTo(Float.floatToIntBits(vector[i])));
        }
        result.next();
        assertThat(result.getString(1), equalTo(""));
        assertThat(result.getInt(2), equalTo(Integer.MAX_VALUE));
      }
    }
  }
}
