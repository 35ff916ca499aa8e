package io.sluice.transforms.legacy;

import java.util.List;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One record of a legacy store (a SQLite row, or a JSON report with its questions and artifacts)
 * and the rows it becomes. The sink writes a record's rows together or not at all, so a report is
 * never half-written.
 *
 * @param group the legacy store as reports and metrics name it: {@code <file>#<table>}, or {@code
 *     reports} for all JSON reports
 * @param source where exactly the record came from: the store, or the report's path under the
 *     reports folder; it becomes every row's {@code source} column
 * @param id what names the record inside its source, for failures and parity examples
 */
@DefaultCoder(LegacyRecordCoder.class)
public record LegacyRecord(String group, String source, String id, List<TargetRow> rows) {
  public LegacyRecord {
    rows = List.copyOf(rows);
  }

  /** Where a failure of this record is filed: its source and its id. */
  public String uri() {
    return uri(source, id);
  }

  /** Where a failure of the record {@code id} of {@code source} is filed, mapped or not. */
  public static String uri(String source, String id) {
    return source + "/" + id;
  }
}
