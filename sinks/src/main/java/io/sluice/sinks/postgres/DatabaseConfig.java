package io.sluice.sinks.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the PostgreSQL database is (a JDBC URL, credentials inside it or beside it) and what a
 * worker may take of it ({@link ConnectionLimits}). Connections rewrite batched inserts into
 * multi-row statements, which makes batched upserts as fast as COPY for sluice's rows.
 *
 * <p>{@link #connect()} opens one connection of its own, for the command line's short talks with
 * the database; pipelines borrow from the JVM's pool ({@link ConnectionPools}).
 */
public record DatabaseConfig(String jdbcUrl, ConnectionLimits limits) implements Serializable {

  public DatabaseConfig {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "databaseUrl must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got "
              + (jdbcUrl == null ? null : masked(jdbcUrl)));
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
  }

  public DatabaseConfig(String jdbcUrl) {
    this(jdbcUrl, ConnectionLimits.DEFAULT);
  }

  public DatabaseConfig withLimits(ConnectionLimits newLimits) {
    return new DatabaseConfig(jdbcUrl, newLimits);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, driverProperties("sluice-cli"));
  }

  /** What the driver is told on every connection: the name it shows, its timeouts. */
  Properties driverProperties(String applicationName) {
    Properties properties = new Properties();
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("connectTimeout", Long.toString(limits.connectTimeout().toSeconds()));
    properties.setProperty("socketTimeout", Long.toString(limits.socketTimeout().toSeconds()));
    return properties;
  }

  /** The URL with any password replaced, fit for logs and messages. */
  public String maskedUrl() {
    return masked(jdbcUrl);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[" + maskedUrl() + ", " + limits + "]";
  }

  private static String masked(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("(//[^/:@]+:)[^@/]*@", "$1***@");
  }
}
