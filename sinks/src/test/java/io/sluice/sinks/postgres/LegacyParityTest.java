package io.sluice.sinks.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.testing.TestDatabases;
import io.sluice.transforms.legacy.LegacyRecord;
import io.sluice.transforms.legacy.TargetRow;
import io.sluice.transforms.legacy.TargetTables;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Before;
import org.junit.Test;

public class LegacyParityTest {
  private static final String SOURCE = "cache.sqlite#query_cache";

  private DatabaseConfig database;

  @Before
  public void database() throws Exception {
    database = TestDatabases.fresh();
  }

  private static LegacyRecord cached(String key, String answer, String createdAt) {
    return new LegacyRecord(
        SOURCE,
        SOURCE,
        "cache_key=" + key,
        List.of(
            new TargetRow(
                TargetTables.QUERY_CACHE.name(),
                Arrays.asList(key, "q", null, "gpt-5", null, answer, createdAt))));
  }

  private void write(List<LegacyRecord> records) {
    Pipeline run = Pipeline.create(TestPipeline.testingPipelineOptions());
    run.apply(Create.of(records)).apply(LegacyWrite.create().withDatabase(database));
    run.run().waitUntilFinish();
  }

  private LegacyParity.Comparison compare(List<LegacyRecord> records) throws Exception {
    try (LegacyParity parity = LegacyParity.open(database)) {
      LegacyParity.Load load = parity.load(TargetTables.QUERY_CACHE);
      for (LegacyRecord record : records) {
        load.add(record);
      }
      return load.compare();
    }
  }

  @Test
  public void aTargetThatHoldsTheSourceMatchesWhateverTheTimeZoneOfItsText() throws Exception {
    write(List.of(cached("a", "yes", "2024-03-01T10:00:00Z"), cached("b", null, null)));

    // The same instant written with another offset is the same value.
    LegacyParity.Comparison result =
        compare(List.of(cached("a", "yes", "2024-03-01T12:00:00+02:00"), cached("b", null, null)));

    assertThat(result.compared(), equalTo(2L));
    assertThat(result.mismatched(), equalTo(0L));
  }

  @Test
  public void findsAnEditedValueAMissingRowAndRowsTheSourceNoLongerHas() throws Exception {
    List<LegacyRecord> source =
        List.of(cached("a", "yes", null), cached("b", "no", null), cached("c", "maybe", null));
    write(source);
    TestDatabases.execute(
        database, "UPDATE retrieval.query_cache SET answer = 'edited' WHERE cache_key = 'b'");
    TestDatabases.execute(database, "DELETE FROM retrieval.query_cache WHERE cache_key = 'c'");
    write(List.of(cached("z", "old", null)));

    LegacyParity.Comparison result = compare(source);

    assertThat(result.differing(), equalTo(1L));
    assertThat(result.missing(), equalTo(1L));
    assertThat(result.examples(), contains("b", "c"));
    assertThat(result.extra(), equalTo(1L));
  }
}
