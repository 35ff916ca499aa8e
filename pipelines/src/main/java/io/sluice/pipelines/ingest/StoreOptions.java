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

  @Description(
      "PostgreSQL JDBC URL; defaults to the SLUICE_DATABASE_URL environment variable, "
          + "which keeps a password out of the process list (so does ~/.pgpass, which the driver "
          + "reads). Without either, an embedded PostgreSQL keeps its data in <workDir>/postgres.")
  @Default.InstanceFactory(DatabaseUrlFromEnvironment.class)
  // Only the client reads it (the workers get the database in their transforms): left out of the
  // serialized options, it is not shown in the Flink web UI's job configuration.
  @JsonIgnore
  String getDatabaseUrl();

  void setDatabaseUrl(String value);

  @Description("PostgreSQL connections per worker JVM, at most: one pool shared by every step.")
  @Default.Integer(8)
  int getMaxConnections();

  void setMaxConnections(int value);

  @Description("Seconds a PostgreSQL connection attempt may take.")
  @Default.Integer(10)
  int getConnectTimeoutSeconds();

  void setConnectTimeoutSeconds(int value);

  @Description("Seconds a PostgreSQL connection may stay silent while an answer is awaited.")
  @Default.Integer(300)
  int getSocketTimeoutSeconds();

  void setSocketTimeoutSeconds(int value);

  @Description("Seconds one PostgreSQL statement may run (statement_timeout).")
  @Default.Integer(120)
  int getStatementTimeoutSeconds();

  void setStatementTimeoutSeconds(int value);

  @Description("Retries of a store request or transaction after transient errors, each logged.")
  @Default.Integer(6)
  int getMaxRetries();

  void setMaxRetries(int value);

  @Description("Milliseconds before the first retry; the wait doubles, with jitter.")
  @Default.Integer(200)
  int getRetryInitialBackoffMillis();

  void setRetryInitialBackoffMillis(int value);

  @Description("Seconds the wait between two retries grows to, at most.")
  @Default.Integer(10)
  int getRetryMaxBackoffSeconds();

  void setRetryMaxBackoffSeconds(int value);

  @Description(
      "How log lines look: text, or json (one object a line, with run_id, and doc_id"
          + " and source_uri where known).")
  @Default.String("text")
  String getLogFormat();

  void setLogFormat(String value);

  @Description(
      "Write log lines to this file instead of standard error. Progress and the run"
          + " report stay on the terminal either way.")
  String getLogFile();

  void setLogFile(String value);

  @Description("Folder for the embedded database and the generated samples.")
  @Default.String(".sluice")
  String getWorkDir();

  void setWorkDir(String value);
}
