package io.sluice.sinks.arango;

import com.arangodb.ArangoDB;
import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDatabase;
import io.sluice.sinks.core.Health;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether sluice can write its graph to an ArangoDB server: reachable, the credentials accepted,
 * the database there (or to be created, with {@code --arangoCreateDatabase}) and the graph there
 * (or made by the first ingest). Reads only.
 */
public final class ArangoHealth {
  private static final String DEPENDENCY = "arangodb";

  private ArangoHealth() {}

  public static Health check(ArangoConfig config) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("url", config.url());
    facts.put("database", config.database());
    facts.put("user", config.user());
    ArangoDB arango = config.connect();
    try {
      String version = arango.getVersion().getVersion();
      facts.put("server_version", version);
      ArangoDatabase database = arango.db(config.database());
      boolean databasePresent = database.exists();
      boolean graphPresent = databasePresent && database.graph(ArangoGraph.GRAPH).exists();
      facts.put("database_present", databasePresent);
      facts.put("graph_present", graphPresent);
      String where = config.url() + ": ArangoDB " + version + ", user " + config.user();
      if (!databasePresent && !config.createDatabase()) {
        return Health.failing(
            DEPENDENCY,
            "database "
                + config.database()
                + " does not exist (--arangoCreateDatabase creates it) ("
                + where
                + ")",
            facts);
      }
      return Health.ok(
          DEPENDENCY,
          where
              + "; database "
              + config.database()
              + (databasePresent ? " present" : " absent (the next ingest creates it)")
              + "; graph "
              + ArangoGraph.GRAPH
              + (graphPresent ? " present" : " absent (the next ingest creates it)"),
          facts);
    } catch (ArangoDBException e) {
      Integer status = e.getResponseCode();
      String why =
          status == null
              ? "cannot reach " + config.url() + ": " + rootMessage(e)
              : status == 401 || status == 403
                  ? "ArangoDB at "
                      + config.url()
                      + " refused user "
                      + config.user()
                      + " (HTTP "
                      + status
                      + "): check ARANGO_PASSWORD or --arangoPasswordFile"
                  : "ArangoDB at "
                      + config.url()
                      + " answered HTTP "
                      + status
                      + ": "
                      + e.getMessage();
      return Health.failing(DEPENDENCY, why, facts);
    } finally {
      arango.shutdown();
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
