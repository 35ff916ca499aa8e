package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sluice.sinks.postgres.RunLedger.RootSources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult.State;
import org.junit.Test;

/** The prune guard's decision as a table: each row a run's ending, its inputs and its roots. */
public class PruneGuardTest {
  private static final String ROOT = "file:///data/papers/";

  private record Row(
      String why,
      State state,
      long matched,
      long sources,
      long unseen,
      boolean force,
      String heldBackStartingWith) {}

  private static final List<Row> ROWS =
      List.of(
          new Row("a clean run losing a few files prunes", State.DONE, 9, 10, 1, false, null),
          new Row("exactly the fraction prunes", State.DONE, 3, 4, 1, false, null),
          new Row(
              "a run that did not finish prunes nothing",
              State.CANCELLED,
              9,
              10,
              1,
              false,
              "the run ended CANCELLED"),
          new Row(
              "--force does not override an unfinished run",
              State.FAILED,
              9,
              10,
              1,
              true,
              "the run ended FAILED"),
          new Row(
              "an input matching no file prunes nothing",
              State.DONE,
              0,
              10,
              10,
              false,
              "input /data/papers matched no file"),
          new Row(
              "--force does not override an empty input",
              State.DONE,
              0,
              10,
              10,
              true,
              "input /data/papers matched no file"),
          new Row(
              "more than the fraction prunes nothing",
              State.DONE,
              6,
              10,
              4,
              false,
              "it would remove 4 of the 10 sources under " + ROOT),
          new Row("--force overrides the fraction", State.DONE, 6, 10, 4, true, null),
          new Row("a root without sources prunes", State.DONE, 5, 0, 0, false, null));

  @Test
  public void eachRowHoldsBackOrPrunesAsItSays() {
    for (Row row : ROWS) {
      Optional<String> heldBack =
          PruneGuard.holdBack(
              row.state(),
              Map.of("/data/papers", row.matched()),
              List.of(new RootSources(ROOT, row.sources(), row.unseen())),
              0.25,
              row.force());
      assertThat(
          row.why() + ": " + heldBack,
          heldBack
              .map(reason -> reason.startsWith(row.heldBackStartingWith()))
              .orElse(row.heldBackStartingWith() == null),
          equalTo(true));
      assertThat(row.why(), heldBack.isPresent(), equalTo(row.heldBackStartingWith() != null));
    }
  }

  @Test(expected = IllegalArgumentException.class)
  public void aFractionAboveOneIsAUsageError() {
    PruneGuard.checkFraction(1.5);
  }
}
