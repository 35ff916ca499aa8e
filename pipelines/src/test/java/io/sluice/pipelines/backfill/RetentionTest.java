package io.sluice.pipelines.backfill;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.sluice.pipelines.cli.CliRun;
import io.sluice.samples.LegacySamples;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code sluice retention} on a million backfilled token usage rows (the generated legacy store's
 * times spread over the twelve months of 2024), through the command line: it removes exactly the
 * rows before the horizon, the backfill's parity holds on what remains, and no backfill brings the
 * removed rows back.
 */
public class RetentionTest {
  private static final int TOKEN_ROWS = 1_000_000;
  private static final String TOKENS = "ragonometrics_token_usage.sqlite#token_usage";
  private static final String HORIZON = "'2024-07-01 00:00:00+00'";
  // The rows that are to stay, as a digest: retention must leave every one of them as it was.
  private static final String KEPT =
      "SELECT md5(string_agg(t::text, '|' ORDER BY usage_key)) FROM observability.token_usage t"
          + " WHERE created_at IS NULL OR created_at >= "
          + HORIZON;

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private CliRun sluice(String command, DatabaseConfig database, Path root, String... flags) {
    List<String> args = new ArrayList<>(List.of(command, "--databaseUrl=" + database.jdbcUrl()));
    if (command.equals("backfill")) {
      args.add("--sqliteDir=" + root.resolve(LegacySamples.SQLITE));
      args.add("--reportsDir=" + root.resolve(LegacySamples.REPORTS));
    }
    args.addAll(Arrays.asList(flags));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(String.join(" ", args) + "\n" + run.log() + run.out(), run.exitCode(), equalTo(0));
    return run;
  }

  @Test
  public void removesExactlyTheRowsBeforeTheHorizonAndNoBackfillBringsThemBack() throws Exception {
    Path root = folder.getRoot().toPath();
    LegacySamples.writeTo(root, TOKEN_ROWS);
    DatabaseConfig database = TestDatabases.fresh();
    sluice("backfill", database, root);
    long rows = count(database, "SELECT count(*) FROM observability.token_usage");
    long old =
        count(
            database,
            "SELECT count(*) FROM observability.token_usage WHERE created_at < " + HORIZON);
    String kept = TestDatabases.text(database, KEPT);

    CliRun dryRun =
        sluice(
            "retention",
            database,
            root,
            "--before=2024-07-01",
            "--tables=observability.token_usage",
            "--dryRun");
    CliRun retention =
        sluice(
            "retention",
            database,
            root,
            "--before=2024-07-01",
            "--tables=observability.token_usage");

    assertThat(old, greaterThan(TOKEN_ROWS / 3L));
    assertThat(dryRun.out(), containsString(String.format("would remove %,d all rows", old)));
    assertThat(
        count(database, "SELECT count(*) FROM observability.token_usage"), equalTo(rows - old));
    assertThat(TestDatabases.text(database, KEPT), equalTo(kept));
    assertThat(retention.out(), containsString(String.format("removed %,d all rows", old)));
    assertThat(retention.out(), containsString("6 month partitions dropped"));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'token_usage_2024_0%'"
                + " AND relname < 'token_usage_2024_07'"),
        equalTo(0L));

    CliRun verify = sluice("backfill", database, root, "--verify");
    CliRun full = sluice("backfill", database, root, "--full");
    CliRun nothingLeft =
        sluice(
            "retention",
            database,
            root,
            "--before=2024-07-01",
            "--tables=observability.token_usage");

    assertThat(verify.out(), containsString("parity holds"));
    assertThat(verify.out(), containsString(old + " × older than the retention horizon"));
    assertThat(full.out(), containsString("parity holds"));
    assertThat(
        count(database, "SELECT count(*) FROM observability.token_usage"), equalTo(rows - old));
    assertThat(TestDatabases.text(database, KEPT), equalTo(kept));
    assertThat(nothingLeft.out(), containsString("retention removed 0 rows in all"));
  }
}
