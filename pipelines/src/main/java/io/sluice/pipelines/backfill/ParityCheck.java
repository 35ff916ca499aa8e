package io.sluice.pipelines.backfill;

import io.sluice.pipelines.backfill.BackfillPlan.TableRead;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.sinks.postgres.LegacyParity;
import io.sluice.transforms.legacy.LegacyTable;
import io.sluice.transforms.legacy.ReadOnlySqlite;
import io.sluice.transforms.legacy.TargetTables;
import io.sluice.transforms.legacy.UnmappableValueException;
import io.sluice.transforms.legacy.WorkflowReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Compares every source of a plan, whole, with its target: each SQLite table read again and mapped
 * exactly as the pipeline maps it, all reports likewise, each row checked against the target by
 * {@link LegacyParity}. Rows the mapping refuses, and rows older than the table's retention
 * horizon, are counted by reason, not compared.
 */
public final class ParityCheck {
  /** What one source holds and how its target compares. */
  public record SourceParity(
      String group,
      long sourceRows,
      Map<String, Long> skipped,
      LegacyParity.@Nullable Comparison comparison,
      @Nullable String error) {
    public long skippedRows() {
      return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows missing from the target or different there; an unverifiable source counts as one. */
    public boolean clean() {
      return error == null && comparison != null && comparison.mismatched() == 0;
    }
  }

  private ParityCheck() {}

  public static List<SourceParity> run(BackfillPlan plan, DatabaseConfig database) {
    List<SourceParity> results = new ArrayList<>();
    for (TableRead read : plan.tables()) {
      results.add(table(read.table(), database));
    }
    if (plan.reports().root() != null) {
      results.add(reports(plan.reports(), database));
    }
    return results;
  }

  private static SourceParity table(LegacyTable table, DatabaseConfig database) {
    String group = table.layout().source();
    Map<String, Long> skipped = new TreeMap<>();
    long rows = 0;
    try (LegacyParity parity = LegacyParity.open(database);
        Connection sqlite = ReadOnlySqlite.open(table.path()).getConnection();
        PreparedStatement select = sqlite.prepareStatement(table.selectSql());
        ResultSet result = select.executeQuery()) {
      LegacyParity.Load load = parity.load(table.layout().target());
      while (result.next()) {
        rows++;
        try {
          load.add(table.map(table.values(result)));
        } catch (UnmappableValueException e) {
          skipped.merge(e.reason(), 1L, Long::sum);
        }
      }
      LegacyParity.Comparison comparison = load.compare();
      if (comparison.behindHorizon() > 0) {
        skipped.put("older than the retention horizon", comparison.behindHorizon());
      }
      return new SourceParity(group, rows, skipped, comparison, null);
    } catch (SQLException e) {
      return new SourceParity(group, rows, skipped, null, "cannot verify: " + e.getMessage());
    }
  }

  private static SourceParity reports(BackfillPlan.ReportsRead reports, DatabaseConfig database) {
    Map<String, Long> skipped = new TreeMap<>();
    try (LegacyParity parity = LegacyParity.open(database)) {
      LegacyParity.Load load = parity.load(TargetTables.RUN_RECORDS);
      for (String file : reports.fingerprints().keySet()) {
        try {
          load.add(WorkflowReports.map(file, Files.readAllBytes(Path.of(reports.root(), file))));
        } catch (UnmappableValueException e) {
          skipped.merge(e.reason(), 1L, Long::sum);
        } catch (IOException e) {
          skipped.merge("report unreadable", 1L, Long::sum);
        }
      }
      return new SourceParity(
          WorkflowReports.GROUP, reports.fingerprints().size(), skipped, load.compare(), null);
    } catch (SQLException e) {
      return new SourceParity(
          WorkflowReports.GROUP,
          reports.fingerprints().size(),
          skipped,
          null,
          "cannot verify: " + e.getMessage());
    }
  }
}
