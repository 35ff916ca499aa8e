package io.sluice.pipelines.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where sluice's stores are: the flags every command shares. */
public interface StoreOptions extends PipelineOptions {
  /** The database URL from {@code SLUICE_DATABASE_URL}, or none. */
  class DatabaseUrlFromEnvironment implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      String url = System.getenv("SLUICE_DATABASE_URL");
      return url == null || url.isBlank() ? null : url;
    }
  }

  @Description("PostgreSQL JDBC URL; defaults to the SLUICE_DATABASE_URL environment variable, "
      + "which keeps a password out of the process list (so does ~/.pgpass, which the driver "
      + "reads). Without either, an embedded PostgreSQL keeps its data in <workDir>/postgres.")
  @Default.InstanceFactory(DatabaseUrlFromEnvironment.class)
  // Only the client reads it (the workers get the database in their transforms): left out of the
  // serialized options, it is not shown in the Flink web UI's job configuration.
  @JsonIgnore
  String getDatabaseUrl();

  void setDatabaseUrl(String value);

  @Description("Folder for the embedded database and the generated samples.")
  @Default.String(".sluice")
  String getWorkDir();

  void setWorkDir(String value);
}
