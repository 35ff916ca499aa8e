package io.sluice.pipelines.backfill;

import io.sluice.sinks.postgres.BackfillWatermarks.Watermark;
import io.sluice.transforms.keys.Keys;
import io.sluice.transforms.legacy.LegacyLayout;
import io.sluice.transforms.legacy.LegacyLayouts;
import io.sluice.transforms.legacy.LegacyTable;
import io.sluice.transforms.legacy.TableSlice;
import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a backfill will read, decided before the pipeline starts: each legacy table found (with the
 * columns its version has), each report file, and for each whether its watermark lets it be
 * skipped, read from its cursor, or read whole. What cannot be read is noted, or, for a file that
 * is damaged, turned into a failure record.
 */
public record BackfillPlan(
    List<TableRead> tables, ReportsRead reports, List<String> notes, List<Failure> failures) {

  /** How a source is read this time. */
  public enum Mode {
    /** Same fingerprint as when last proven: nothing to read. */
    UNCHANGED,
    /** Changed, and it only grows: rows at or past the watermark's cursor. */
    FROM_CURSOR,
    /** New, changed in a way a cursor cannot follow, or --full. */
    WHOLE
  }

  /** One legacy table, how to read it, and in which slices. */
  public record TableRead(
      LegacyTable table,
      String fingerprint,
      Mode mode,
      @Nullable String cursorFrom,
      List<TableSlice> slices) {}

  /** One slice of one table. */
  public record SliceRead(LegacyTable table, TableSlice slice) {}

  /**
   * What one pipeline run moves: some slices, and in the first pass the reports and the failures of
   * damaged files.
   */
  public record Pass(List<SliceRead> slices, boolean first) {}

  /** The report files, by path under the reports folder, and which of them changed. */
  public record ReportsRead(
      @Nullable String root, Map<String, String> fingerprints, List<String> changed) {}

  /**
   * Inspects the legacy stores and decides, against the watermarks, what to read.
   *
   * @param sliceRows the most rows one slice of a table holds
   */
  public static BackfillPlan make(
      @Nullable String sqliteDir,
      @Nullable String reportsDir,
      boolean full,
      Map<String, Watermark> watermarks,
      int sliceRows)
      throws IOException, SQLException {
    List<TableRead> tables = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    if (sqliteDir != null) {
      Path dir = Path.of(sqliteDir).toAbsolutePath();
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--sqliteDir is not a folder: " + sqliteDir);
      }
      Map<String, String> fingerprints = new HashMap<>();
      for (LegacyLayout layout : LegacyLayouts.ALL) {
        Path file = dir.resolve(layout.file());
        if (!Files.isRegularFile(file)) {
          notes.add(
              layout.source()
                  + ": "
                  + (layout.optional() ? "optional file absent" : "file missing, nothing to move"));
          continue;
        }
        LegacyTable table = LegacyTable.inspect(layout, file.toString());
        if (!table.readable()) {
          notes.add(layout.source() + ": " + table.problem());
          if (table.damaged()) {
            failures.add(
                Failure.ofUri(
                    layout.source(), Stage.BACKFILL, FailureClass.CORRUPT, table.problem()));
          }
          continue;
        }
        if (!table.missingColumns().isEmpty()) {
          notes.add(
              layout.source()
                  + ": no column "
                  + String.join(", ", table.missingColumns())
                  + " in this version of the table; moved as NULL");
        }
        if (!table.extraColumns().isEmpty()) {
          notes.add(
              layout.source()
                  + ": column "
                  + String.join(", ", table.extraColumns())
                  + " not in the unified schema; left out");
        }
        String fingerprint = fingerprints.computeIfAbsent(layout.file(), f -> fingerprint(file));
        tables.add(
            decide(table, fingerprint, full ? null : watermarks.get(layout.source()), sliceRows));
      }
    }
    return new BackfillPlan(tables, reports(reportsDir, full, watermarks), notes, failures);
  }

  /** Whether there is anything to read or record: false when nothing changed. */
  public boolean hasWork() {
    return !failures.isEmpty()
        || !reports.changed().isEmpty()
        || tables.stream().anyMatch(read -> !read.slices().isEmpty());
  }

  /**
   * The passes that move this plan: one with everything, or, when the runner holds whole outputs in
   * memory, one per slice number (every table's first slice, then every second slice, …).
   */
  public List<Pass> passes(boolean slicePerPass) {
    List<SliceRead> all = new ArrayList<>();
    int most = 0;
    for (TableRead read : tables) {
      read.slices().forEach(slice -> all.add(new SliceRead(read.table(), slice)));
      most = Math.max(most, read.slices().size());
    }
    if (!slicePerPass) {
      return List.of(new Pass(all, true));
    }
    List<Pass> passes = new ArrayList<>();
    for (int i = 0; i < Math.max(most, 1); i++) {
      int number = i;
      List<SliceRead> slices = new ArrayList<>();
      tables.stream()
          .filter(read -> number < read.slices().size())
          .forEach(read -> slices.add(new SliceRead(read.table(), read.slices().get(number))));
      passes.add(new Pass(slices, i == 0));
    }
    return passes;
  }

  private static TableRead decide(
      LegacyTable table, String fingerprint, Watermark watermark, int sliceRows)
      throws SQLException {
    if (watermark != null && watermark.fingerprint().equals(fingerprint)) {
      return new TableRead(table, fingerprint, Mode.UNCHANGED, null, List.of());
    }
    // A table with fewer rows than before was rewritten, not appended to: its cursor means
    // nothing any more.
    if (watermark != null
        && table.hasCursor()
        && watermark.cursorValue() != null
        && table.rows() >= watermark.sourceRows()) {
      return new TableRead(
          table,
          fingerprint,
          Mode.FROM_CURSOR,
          watermark.cursorValue(),
          table.slices(watermark.cursorValue(), sliceRows));
    }
    return new TableRead(table, fingerprint, Mode.WHOLE, null, table.slices(null, sliceRows));
  }

  private static ReportsRead reports(
      @Nullable String reportsDir, boolean full, Map<String, Watermark> watermarks)
      throws IOException {
    if (reportsDir == null) {
      return new ReportsRead(null, Map.of(), List.of());
    }
    Path root = Path.of(reportsDir).toAbsolutePath();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("--reportsDir is not a folder: " + reportsDir);
    }
    Map<String, String> fingerprints = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().matches("workflow-report-.+\\.json"))
          .sorted()
          .forEach(
              file ->
                  fingerprints.put(
                      root.relativize(file).toString().replace('\\', '/'), fingerprint(file)));
    }
    List<String> changed =
        fingerprints.entrySet().stream()
            .filter(
                report ->
                    full
                        || watermarks.get(report.getKey()) == null
                        || !watermarks.get(report.getKey()).fingerprint().equals(report.getValue()))
            .map(Map.Entry::getKey)
            .toList();
    return new ReportsRead(root.toString(), fingerprints, changed);
  }

  /**
   * SHA-256 of the file and, if SQLite left one, its write-ahead log, which holds committed rows
   * not yet copied into the file.
   */
  static String fingerprint(Path file) {
    MessageDigest sha = Keys.sha256();
    for (Path part : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
      if (!Files.exists(part)) {
        continue;
      }
      try (InputStream in = new DigestInputStream(Files.newInputStream(part), sha)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + part, e);
      }
    }
    return Keys.hex(sha.digest());
  }
}
