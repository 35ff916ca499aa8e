package io.sluice.sinks.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the PostgreSQL database is: a JDBC URL, credentials inside it or beside it. Connections
 * rewrite batched inserts into multi-row statements, which makes batched upserts as fast as COPY
 * for sluice's rows.
 */
public record DatabaseConfig(String jdbcUrl) implements Serializable {

  public DatabaseConfig {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "databaseUrl must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got "
              + (jdbcUrl == null ? null : masked(jdbcUrl)));
    }
  }

  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("ApplicationName", "sluice");
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  /** The URL with any password replaced, fit for logs and messages. */
  public String maskedUrl() {
    return masked(jdbcUrl);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[" + maskedUrl() + "]";
  }

  private static String masked(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("(//[^/:@]+:)[^@/]*@", "$1***@");
  }
}
