package io.sluice.pipelines.cli;

import io.sluice.pipelines.ingest.StoreOptions;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.TelemetryRetention;
import io.sluice.sinks.postgres.TelemetryRetention.Removal;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code sluice retention}: removes telemetry older than a horizon (see {@link TelemetryRetention})
 * and prints what it removed; exit 0, also when there was nothing to remove.
 */
final class RetentionCommand {
  /** The flags of {@code sluice retention}. */
  public interface RetentionOptions extends StoreOptions {
    @Description("Remove telemetry older than this many days: 90d.")
    String getOlderThan();

    void setOlderThan(String value);

    @Description("Remove telemetry from before this day (UTC): 2026-01-01.")
    String getBefore();

    void setBefore(String value);

    @Description(
        "Comma-separated telemetry tables whose backfilled legacy rows go too (observability."
            + "token_usage); their horizon is recorded and holds for every later backfill.")
    String getTables();

    void setTables(String value);

    @Description("Count what would be removed; change nothing.")
    @Default.Boolean(false)
    boolean getDryRun();

    void setDryRun(boolean value);
  }

  private static final Pattern DAYS = Pattern.compile("(\\d+)d");

  private RetentionCommand() {}

  static int run(RetentionOptions options, DatabaseConfig database, PrintStream out, Clock clock)
      throws Exception {
    Instant horizon = horizon(options, clock);
    Set<String> named = tables(options.getTables());
    List<Removal> removals =
        TelemetryRetention.apply(database, horizon, named, options.getDryRun(), describe(options));
    String verb = options.getDryRun() ? "would remove" : "removed";
    long total = 0;
    for (Removal removal : removals) {
      total += removal.rows();
      String whose = removal.legacyRowsIncluded() ? "all rows" : "rows of sluice's runs";
      if (removal.rows() == 0 && removal.droppedPartitions().isEmpty()) {
        out.printf("%-32s nothing before %s%n", removal.table(), removal.horizon());
        continue;
      }
      out.printf(
          "%-32s %s %,d %s before %s: %d month partitions dropped (%,d rows)%s, %,d rows"
              + " deleted%n",
          removal.table(),
          verb,
          removal.rows(),
          whose,
          removal.horizon(),
          removal.droppedPartitions().size(),
          removal.droppedRows(),
          removal.droppedPartitions().isEmpty()
              ? ""
              : " " + String.join(", ", removal.droppedPartitions()),
          removal.deletedRows());
      if (removal.legacyRowsIncluded() && !options.getDryRun()) {
        out.printf(
            "%-32s horizon %s recorded: no backfill brings back older rows%n",
            removal.table(), removal.horizon());
      }
    }
    out.printf(
        "retention %s %,d rows in all; documents, chunks, vectors and the ledger are untouched%n",
        verb, total);
    return 0;
  }

  /** The horizon the flags give: exactly one of --olderThan and --before. */
  static Instant horizon(RetentionOptions options, Clock clock) {
    String olderThan = options.getOlderThan();
    String before = options.getBefore();
    if ((olderThan == null) == (before == null)) {
      throw new IllegalArgumentException("give one of --olderThan=<days>d and --before=YYYY-MM-DD");
    }
    if (olderThan != null) {
      Matcher days = DAYS.matcher(olderThan);
      if (!days.matches() || Long.parseLong(days.group(1)) == 0) {
        throw new IllegalArgumentException(
            "--olderThan takes a positive number of days, such as 90d, not " + olderThan);
      }
      return clock.instant().minus(Duration.ofDays(Long.parseLong(days.group(1))));
    }
    try {
      return LocalDate.parse(before).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--before takes a day, YYYY-MM-DD, not " + before);
    }
  }

  private static Set<String> tables(String flag) {
    Set<String> named = new LinkedHashSet<>();
    if (flag != null) {
      Arrays.stream(flag.split(","))
          .map(String::strip)
          .filter(table -> !table.isEmpty())
          .forEach(named::add);
    }
    return named;
  }

  private static String describe(RetentionOptions options) {
    return "sluice retention"
        + (options.getOlderThan() == null ? "" : " --olderThan=" + options.getOlderThan())
        + (options.getBefore() == null ? "" : " --before=" + options.getBefore())
        + (options.getTables() == null ? "" : " --tables=" + options.getTables());
  }
}
