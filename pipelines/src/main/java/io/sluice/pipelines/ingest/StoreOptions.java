package io.sluice.pipelines.ingest;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where sluice's stores are: the flags every command shares. */
public interface StoreOptions extends PipelineOptions {
  @Description("PostgreSQL JDBC URL. Without it, an embedded PostgreSQL keeps its data in "
      + "<workDir>/postgres.")
  String getDatabaseUrl();

  void setDatabaseUrl(String value);

  @Description("Folder for the embedded database and the generated samples.")
  @Default.String(".sluice")
  String getWorkDir();

  void setWorkDir(String value);
}
