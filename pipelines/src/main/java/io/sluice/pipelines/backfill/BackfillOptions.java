package io.sluice.pipelines.backfill;

import io.sluice.pipelines.ingest.StoreOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The flags of {@code sluice backfill}. */
public interface BackfillOptions extends StoreOptions {
  @Description(
      "Folder of the legacy SQLite stores (ragonometrics_*.sqlite, vectors_meta.sqlite, "
          + "doi_network.sqlite). Without it and --reportsDir, generated samples are backfilled.")
  String getSqliteDir();

  void setSqliteDir(String value);

  @Description("Folder of the legacy JSON reports (searched for **/workflow-report-*.json).")
  String getReportsDir();

  void setReportsDir(String value);

  @Description("Ignore the watermarks: read every source whole. Rewrites rows that differ.")
  @Default.Boolean(false)
  boolean getFull();

  void setFull(boolean value);

  @Description(
      "Only compare every source with its target row by row and print the parity "
          + "table; move nothing. Exits 1 on any mismatch.")
  @Default.Boolean(false)
  boolean getVerify();

  void setVerify(boolean value);

  @Description("Rows per upsert transaction.")
  @Default.Integer(5000)
  int getBackfillBatchSize();

  void setBackfillBatchSize(int value);

  @Description(
      "The most rows of a table one read moves. On the DirectRunner, which keeps a "
          + "transform's whole output in memory, each slice number is a pipeline run of its own.")
  @Default.Integer(100_000)
  int getBackfillSliceRows();

  void setBackfillSliceRows(int value);

  @Description("Token usage rows in the generated samples (used only without --sqliteDir).")
  @Default.Integer(1000)
  int getSampleTokenUsageRows();

  void setSampleTokenUsageRows(int value);

  @Description("Run id (a new UUID when absent).")
  String getRunId();

  void setRunId(String value);
}
