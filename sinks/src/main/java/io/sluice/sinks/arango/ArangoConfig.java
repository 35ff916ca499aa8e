package io.sluice.sinks.arango;

import com.arangodb.ArangoDB;
import com.arangodb.Protocol;
import java.io.Serializable;
import java.net.URI;

/**
 * Where the ArangoDB server is and how to talk to it. The password never comes from a flag (flags
 * show in {@code ps}): callers read it from {@code ARANGO_PASSWORD} or a file. The driver speaks
 * HTTP/2 by default; HTTP/1.1 ({@link Protocol#HTTP_JSON}) is there for proxies and the tests'
 * stand-in.
 */
public record ArangoConfig(
    String url,
    String database,
    String user,
    String password,
    Protocol protocol,
    boolean createDatabase)
    implements Serializable {

  public ArangoConfig {
    URI parsed = URI.create(url);
    if (!"http".equals(parsed.getScheme()) || parsed.getHost() == null || parsed.getPort() < 0) {
      throw new IllegalArgumentException(
          "arangoUrl must look like http://host:8529 (the driver connects by host and port), got "
              + url);
    }
    if (database == null || database.isBlank()) {
      throw new IllegalArgumentException("arangoDatabase must not be blank");
    }
  }

  public ArangoDB connect() {
    URI parsed = URI.create(url);
    return new ArangoDB.Builder()
        .host(parsed.getHost(), parsed.getPort())
        .protocol(protocol)
        .user(user)
        .password(password == null ? "" : password)
        .build();
  }

  @Override
  public String toString() {
    return "ArangoConfig[" + url + ", database " + database + ", user " + user + "]";
  }
}
