package io.sluice.testing.arango;

import com.arangodb.Protocol;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.sinks.arango.ArangoConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wire-level stand-in for ArangoDB: an in-process HTTP/1.1 server speaking the part of ArangoDB's
 * REST API that the Java driver (protocol {@code HTTP_JSON}) uses for sluice, with ArangoDB's
 * semantics as its HTTP API documentation gives them: {@code _key} rules, unique constraint
 * violations (1210), new {@code _rev} on every replace, batch answers with per-item errors and the
 * {@code X-Arango-Error-Codes} header, Basic authentication.
 *
 * <p>Faults can be injected: a status (503) for the next requests, slow answers, a connection
 * dropped in the middle of an answer after the batch was applied, and per-item errors for chosen
 * keys. No ArangoDB server can be installed on the build machines; an integration test runs the
 * same assertions against a real server when {@code ARANGO_URL} is set.
 */
public final class ArangoStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The characters ArangoDB allows in a document key (traditional key format). */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-:.@()+,=;$!*'%]{1,254}");

  private static final int DOCUMENT_COLLECTION = 2;
  private static final int EDGE_COLLECTION = 3;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final String authorization;
  private final String user;
  private final String password;
  private final Map<String, Map<String, StoredCollection>> databases = new ConcurrentHashMap<>();
  private final Map<String, Map<String, JsonNode>> graphs = new ConcurrentHashMap<>();
  private final AtomicLong revisions = new AtomicLong(1_000);
  private final AtomicLong ids = new AtomicLong(100);
  private final AtomicInteger requests = new AtomicInteger();

  private final AtomicInteger failuresSent = new AtomicInteger();
  private final AtomicInteger dropsDone = new AtomicInteger();
  private final AtomicInteger answersDelayed = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final AtomicInteger dropsLeft = new AtomicInteger();
  private final AtomicInteger createDropsLeft = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;

  /** Per key: the error number to answer with, and how many more times. */
  private final Map<String, int[]> itemErrors = new ConcurrentHashMap<>();

  /** One collection: its type and documents in key order. */
  private record StoredCollection(
      String name, int type, Map<String, ObjectNode> documents, List<ObjectNode> indexes) {}

  private volatile String serverVersion = "3.12.4";

  private ArangoStandIn(String user, String password, int port) throws IOException {
    this.user = user;
    this.password = password;
    authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    databases.put("_system", new ConcurrentHashMap<>());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static ArangoStandIn start(String user, String password) throws IOException {
    return start(user, password, 0);
  }

  /** On a given port: a server that comes back where it was, empty, as after a reinstall. */
  public static ArangoStandIn start(String user, String password, int port) throws IOException {
    return new ArangoStandIn(user, password, port);
  }

  /** How sluice reaches this stand-in's database: HTTP/1.1, its credentials, created if missing. */
  public ArangoConfig config(String database) {
    return new ArangoConfig(
        "http://127.0.0.1:" + port(), database, user, password, Protocol.HTTP_JSON, true);
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** How many requests reached the server (faulty ones included). */
  public int requestCount() {
    return requests.get();
  }

  /** The faults that reached a client: error answers, cut connections, slow answers. */
  public record FaultsDelivered(int errorAnswers, int droppedConnections, int slowAnswers) {
    public int total() {
      return errorAnswers + droppedConnections + slowAnswers;
    }
  }

  public FaultsDelivered faultsDelivered() {
    return new FaultsDelivered(failuresSent.get(), dropsDone.get(), answersDelayed.get());
  }

  /** The next {@code count} requests are answered with {@code status} and do nothing. */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /**
   * The next {@code count} requests are carried out, then their connection is cut in the middle of
   * the answer: the client cannot know that its batch was applied.
   */
  public void dropNext(int count) {
    dropsLeft.set(count);
  }

  /**
   * The next {@code count} requests that create something (POST to a collection, graph or database
   * API) are carried out and their answer cut midway.
   */
  public void dropNextCreates(int count) {
    createDropsLeft.set(count);
  }

  public void delayAnswers(Duration answerDelay) {
    delay = answerDelay;
  }

  /** Writing a document with this key fails with this ArangoDB error number, until cleared. */
  public void failKey(String key, int errorNum) {
    failKey(key, errorNum, Integer.MAX_VALUE);
  }

  /** Writing a document with this key fails with this error number the next {@code times}. */
  public void failKey(String key, int errorNum, int times) {
    itemErrors.put(key, new int[] {errorNum, times});
  }

  /** The version {@code /_api/version} answers with from now on (3.12.4 at start). */
  public void reportVersion(String version) {
    serverVersion = version;
  }

  public void clearFaults() {
    failuresLeft.set(0);
    dropsLeft.set(0);
    createDropsLeft.set(0);
    delay = Duration.ZERO;
    itemErrors.clear();
  }

  /** The documents of a collection by key, as stored. */
  public Map<String, ObjectNode> documents(String database, String collection) {
    StoredCollection stored = databases.getOrDefault(database, Map.of()).get(collection);
    return stored == null ? Map.of() : new TreeMap<>(stored.documents());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** An answer: HTTP status and JSON body. */
  private record Answer(int status, JsonNode body, Map<String, String> headers) {
    Answer(int status, JsonNode body) {
      this(status, body, Map.of());
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      if (!delay.isZero()) {
        answersDelayed.incrementAndGet();
        Thread.sleep(delay.toMillis());
      }
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        failuresSent.incrementAndGet();
        send(
            exchange,
            error(
                failureStatus, 503 == failureStatus ? 503 : 500, "service unavailable (injected)"),
            false);
        return;
      }
      Answer answer;
      if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answer = error(401, 11, "not authorized to execute this request");
      } else {
        answer =
            route(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                query(exchange.getRequestURI().getRawQuery()),
                requestBody);
      }
      String path = exchange.getRequestURI().getRawPath();
      boolean creates =
          exchange.getRequestMethod().equals("POST")
              && (path.endsWith("/_api/collection")
                  || path.endsWith("/_api/gharial")
                  || path.endsWith("/_api/database"));
      boolean drop =
          dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
              || creates && createDropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      if (drop) {
        dropsDone.incrementAndGet();
      }
      send(exchange, answer, drop);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, Answer answer, boolean dropMidway)
      throws IOException {
    byte[] body = JSON.writeValueAsBytes(answer.body());
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().add("Server", "ArangoDB");
    answer.headers().forEach(exchange.getResponseHeaders()::add);
    exchange.sendResponseHeaders(answer.status(), body.length);
    OutputStream out = exchange.getResponseBody();
    // A dropped connection: the headers and part of the body, then nothing.
    out.write(body, 0, dropMidway ? body.length / 2 : body.length);
    out.flush();
  }

  private static final Pattern DATABASE_PATH = Pattern.compile("^/_db/([^/]+)(/.*)$");

  private Answer route(String method, String rawPath, Map<String, String> query, byte[] body)
      throws IOException {
    Matcher path = DATABASE_PATH.matcher(rawPath);
    String database = path.matches() ? decode(path.group(1)) : "_system";
    String rest = path.matches() ? path.group(2) : rawPath;
    if (rest.equals("/_api/version")) {
      return ok(
          200,
          JSON.createObjectNode()
              .put("server", "arango")
              .put("license", "community")
              .put("version", serverVersion));
    }
    if (rest.equals("/_api/database") && method.equals("POST")) {
      return createDatabase(JSON.readTree(body));
    }
    Map<String, StoredCollection> collections = databases.get(database);
    if (collections == null) {
      return error(404, 1228, "database not found");
    }
    if (rest.equals("/_api/database/current")) {
      ObjectNode result =
          JSON.createObjectNode()
              .put("name", database)
              .put("id", "1")
              .put("isSystem", database.equals("_system"))
              .put("path", "");
      return ok(
          200, JSON.createObjectNode().put("error", false).put("code", 200).set("result", result));
    }
    if (rest.equals("/_api/collection") && method.equals("POST")) {
      return createCollection(collections, JSON.readTree(body));
    }
    if (rest.startsWith("/_api/collection/") && rest.endsWith("/count") && method.equals("GET")) {
      StoredCollection collection =
          collections.get(decode(rest.substring(17, rest.length() - "/count".length())));
      return collection == null
          ? error(404, 1203, "collection or view not found")
          : ok(200, collectionInfo(collection).put("count", collection.documents().size()));
    }
    if (rest.equals("/_api/index") && method.equals("GET")) {
      StoredCollection collection = collections.get(query.get("collection"));
      return collection == null
          ? error(404, 1203, "collection or view not found")
          : ok(200, indexList(collection));
    }
    if (rest.startsWith("/_api/collection/") && method.equals("GET")) {
      StoredCollection collection = collections.get(decode(rest.substring(17)));
      return collection == null
          ? error(404, 1203, "collection or view not found")
          : ok(200, collectionInfo(collection));
    }
    if (rest.equals("/_api/index") && method.equals("POST")) {
      return createIndex(collections, query.get("collection"), JSON.readTree(body));
    }
    if (rest.equals("/_api/gharial") && method.equals("POST")) {
      return createGraph(database, JSON.readTree(body));
    }
    if (rest.startsWith("/_api/gharial/") && method.equals("GET")) {
      JsonNode graph = graphs.getOrDefault(database, Map.of()).get(decode(rest.substring(14)));
      return graph == null
          ? error(404, 1924, "graph 'not found' not found")
          : ok(
              200,
              JSON.createObjectNode().put("error", false).put("code", 200).set("graph", graph));
    }
    if (rest.startsWith("/_api/document/") && method.equals("POST")) {
      StoredCollection collection = collections.get(decode(rest.substring(15)));
      return collection == null
          ? error(404, 1203, "collection or view not found")
          : insert(collection, query, JSON.readTree(body));
    }
    if (rest.equals("/_api/cursor") && method.equals("POST")) {
      return AqlSubset.run(collections, JSON.readTree(body));
    }
    return error(404, 404, "unknown path " + rest + " (not part of the stand-in)");
  }

  private Answer createDatabase(JsonNode request) {
    String name = request.path("name").asText();
    if (databases.putIfAbsent(name, new ConcurrentHashMap<>()) != null) {
      return error(409, 1207, "duplicate database name '" + name + "'");
    }
    return ok(
        201, JSON.createObjectNode().put("error", false).put("code", 201).put("result", true));
  }

  private Answer createCollection(Map<String, StoredCollection> collections, JsonNode request) {
    String name = request.path("name").asText();
    int type = request.path("type").asInt(DOCUMENT_COLLECTION);
    StoredCollection created =
        new StoredCollection(name, type, new ConcurrentHashMap<>(), new CopyOnWriteArrayList<>());
    if (collections.putIfAbsent(name, created) != null) {
      return error(409, 1207, "duplicate name");
    }
    return ok(200, collectionInfo(created));
  }

  private ObjectNode collectionInfo(StoredCollection collection) {
    return JSON.createObjectNode()
        .put("error", false)
        .put("code", 200)
        .put("id", Long.toString(collection.name().hashCode() & 0xffff))
        .put("name", collection.name())
        .put("status", 3)
        .put("type", collection.type())
        .put("isSystem", false)
        .put("globallyUniqueId", "h" + collection.name());
  }

  private Answer createIndex(
      Map<String, StoredCollection> collections, String name, JsonNode request) {
    StoredCollection collection = name == null ? null : collections.get(name);
    if (collection == null) {
      return error(404, 1203, "collection or view not found");
    }
    for (ObjectNode index : collection.indexes()) {
      if (index.path("name").asText().equals(request.path("name").asText())) {
        return ok(200, index.deepCopy().put("isNewlyCreated", false));
      }
    }
    if (request.path("type").asText().equals("vector")) {
      Optional<String> refused = vectorIndexRefused(collection, request);
      if (refused.isPresent()) {
        return error(400, 10, refused.get());
      }
    }
    ObjectNode index =
        ((ObjectNode) request.deepCopy())
            .put("id", name + "/" + ids.incrementAndGet())
            .put("isNewlyCreated", true)
            .put("error", false)
            .put("code", 201);
    index.putIfAbsent("unique", JSON.getNodeFactory().booleanNode(false));
    index.putIfAbsent("sparse", JSON.getNodeFactory().booleanNode(false));
    collection.indexes().add(index);
    return ok(201, index);
  }

  /**
   * What a real server refuses when it trains a vector index: fewer documents than lists (Faiss
   * cannot train), or a document whose vector is missing or of another dimension.
   */
  private static Optional<String> vectorIndexRefused(
      StoredCollection collection, JsonNode request) {
    String field = request.path("fields").path(0).asText();
    int dimension = request.path("params").path("dimension").asInt();
    int lists = request.path("params").path("nLists").asInt();
    if (collection.documents().size() < lists) {
      return Optional.of(
          "Number of training points ("
              + collection.documents().size()
              + ") should be at least as large as number of clusters ("
              + lists
              + ")");
    }
    for (ObjectNode document : collection.documents().values()) {
      if (document.path(field).size() != dimension) {
        return Optional.of(
            "the dimension of the vector in document "
                + document.path("_key").asText()
                + " does not match the index's "
                + dimension);
      }
    }
    return Optional.empty();
  }

  private ObjectNode indexList(StoredCollection collection) {
    ObjectNode answer = JSON.createObjectNode().put("error", false).put("code", 200);
    ArrayNode indexes = answer.putArray("indexes");
    indexes
        .addObject()
        .put("id", collection.name() + "/0")
        .put("name", "primary")
        .put("type", "primary")
        .put("unique", true)
        .put("sparse", false)
        .putArray("fields")
        .add("_key");
    collection.indexes().forEach(index -> indexes.add(index.deepCopy()));
    return answer;
  }

  private Answer createGraph(String database, JsonNode request) {
    String name = request.path("name").asText();
    ObjectNode graph =
        JSON.createObjectNode()
            .put("name", name)
            .put("_key", name)
            .put("_id", "_graphs/" + name)
            .put("_rev", Long.toString(revisions.incrementAndGet()));
    graph.set("edgeDefinitions", request.path("edgeDefinitions"));
    graph.set("orphanCollections", JSON.createArrayNode());
    if (graphs.computeIfAbsent(database, d -> new ConcurrentHashMap<>()).putIfAbsent(name, graph)
        != null) {
      return error(409, 1925, "graph already exists");
    }
    return ok(
        202, JSON.createObjectNode().put("error", false).put("code", 202).set("graph", graph));
  }

  /**
   * POST /_api/document/{collection}: one document or an array. Each item succeeds or fails on its
   * own; an array's answer lists every item in order and the header counts errors by number.
   */
  private Answer insert(StoredCollection collection, Map<String, String> query, JsonNode body) {
    String overwriteMode =
        query.getOrDefault(
            "overwriteMode", Boolean.parseBoolean(query.get("overwrite")) ? "replace" : "conflict");
    boolean silent = Boolean.parseBoolean(query.get("silent"));
    boolean returnOld = Boolean.parseBoolean(query.get("returnOld"));
    boolean keepNull = !"false".equals(query.get("keepNull"));
    if (!body.isArray()) {
      JsonNode item = insertOne(collection, (ObjectNode) body, overwriteMode, returnOld, keepNull);
      if (item.path("error").asBoolean()) {
        int errorNum = item.path("errorNum").asInt();
        return error(
            errorNum == 1210 ? 409 : errorNum == 1200 ? 409 : 400,
            errorNum,
            item.path("errorMessage").asText());
      }
      return ok(202, silent ? JSON.createObjectNode() : item);
    }
    ArrayNode results = JSON.createArrayNode();
    Map<Integer, Integer> errorCounts = new TreeMap<>();
    for (JsonNode document : body) {
      JsonNode item =
          document.isObject()
              ? insertOne(collection, (ObjectNode) document, overwriteMode, returnOld, keepNull)
              : itemError(1227, "invalid document type");
      if (item.path("error").asBoolean()) {
        errorCounts.merge(item.path("errorNum").asInt(), 1, Integer::sum);
        results.add(item);
      } else if (!silent) {
        results.add(item);
      }
    }
    Map<String, String> headers = new HashMap<>();
    if (!errorCounts.isEmpty()) {
      StringBuilder codes = new StringBuilder("{");
      errorCounts.forEach(
          (num, count) ->
              codes
                  .append(codes.length() > 1 ? "," : "")
                  .append('"')
                  .append(num)
                  .append("\":")
                  .append(count));
      headers.put("X-Arango-Error-Codes", codes.append('}').toString());
    }
    return new Answer(202, results, headers);
  }

  private JsonNode insertOne(
      StoredCollection collection,
      ObjectNode document,
      String overwriteMode,
      boolean returnOld,
      boolean keepNull) {
    JsonNode keyNode = document.get("_key");
    String key;
    if (keyNode == null) {
      key = Long.toString(ids.incrementAndGet());
    } else if (!keyNode.isTextual() || !KEY.matcher(keyNode.asText()).matches()) {
      return itemError(1221, "illegal document key");
    } else {
      key = keyNode.asText();
    }
    int[] injected =
        itemErrors.computeIfPresent(
            key, (k, fault) -> fault[1] <= 0 ? null : new int[] {fault[0], fault[1] - 1});
    if (injected != null) {
      return itemError(
          injected[0], injected[0] == 1200 ? "write-write conflict" : "injected error");
    }
    if (collection.type() == EDGE_COLLECTION
        && (!document.path("_from").isTextual() || !document.path("_to").isTextual())) {
      return itemError(1233, "edge attribute missing or invalid");
    }
    synchronized (collection) {
      ObjectNode old = collection.documents().get(key);
      ObjectNode stored;
      if (old == null) {
        stored = document.deepCopy();
      } else {
        switch (overwriteMode) {
          case "replace" -> stored = document.deepCopy();
          case "update" -> {
            stored = old.deepCopy();
            document
                .fields()
                .forEachRemaining(
                    field -> {
                      if (field.getValue().isNull() && !keepNull) {
                        stored.remove(field.getKey());
                      } else {
                        stored.set(field.getKey(), field.getValue());
                      }
                    });
          }
          case "ignore" -> {
            return JSON.createObjectNode()
                .put("_id", collection.name() + "/" + key)
                .put("_key", key)
                .put("_rev", old.path("_rev").asText());
          }
          default -> {
            return itemError(
                1210,
                "unique constraint violated - in index primary of type "
                    + "primary over '_key'; conflicting key: "
                    + key);
          }
        }
      }
      String rev = "_" + Long.toString(revisions.incrementAndGet(), 36);
      stored.put("_key", key).put("_id", collection.name() + "/" + key).put("_rev", rev);
      collection.documents().put(key, stored);
      ObjectNode meta =
          JSON.createObjectNode()
              .put("_id", collection.name() + "/" + key)
              .put("_key", key)
              .put("_rev", rev);
      if (old != null) {
        meta.put("_oldRev", old.path("_rev").asText());
        if (returnOld) {
          meta.set("old", old);
        }
      }
      return meta;
    }
  }

  private static JsonNode itemError(int errorNum, String message) {
    return JSON.createObjectNode()
        .put("error", true)
        .put("errorNum", errorNum)
        .put("errorMessage", message);
  }

  static Answer ok(int status, JsonNode body) {
    return new Answer(status, body);
  }

  static Answer error(int status, int errorNum, String message) {
    return new Answer(
        status,
        JSON.createObjectNode()
            .put("error", true)
            .put("code", status)
            .put("errorNum", errorNum)
            .put("errorMessage", message));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int equals = pair.indexOf('=');
        parameters.put(
            decode(equals < 0 ? pair : pair.substring(0, equals)),
            equals < 0 ? "" : decode(pair.substring(equals + 1)));
      }
    }
    return parameters;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** The AQL queries the stand-in understands, and nothing else (a syntax error, 1501). */
  private static final class AqlSubset {
    private static final Pattern REMOVE_WHERE =
        Pattern.compile("FOR (\\w+) IN (\\w+) FILTER \\1\\.(\\w+) == @(\\w+) REMOVE \\1 IN \\2");
    private static final Pattern RETURN_WHERE =
        Pattern.compile("FOR (\\w+) IN (\\w+) FILTER \\1\\.(\\w+) == @(\\w+) RETURN \\1");

    static Answer run(Map<String, StoredCollection> collections, JsonNode request) {
      String aql = request.path("query").asText().trim().replaceAll("\\s+", " ");
      JsonNode bindVars = request.path("bindVars");
      Matcher remove = REMOVE_WHERE.matcher(aql);
      Matcher select = RETURN_WHERE.matcher(aql);
      Matcher match = remove.matches() ? remove : select.matches() ? select : null;
      if (match == null) {
        return error(400, 1501, "syntax error (not part of the stand-in's AQL): " + aql);
      }
      StoredCollection collection = collections.get(match.group(2));
      if (collection == null) {
        return error(404, 1203, "collection or view not found: " + match.group(2));
      }
      JsonNode value = bindVars.path(match.group(4));
      ArrayNode result = JSON.createArrayNode();
      int writes = 0;
      synchronized (collection) {
        for (var entry : Set.copyOf(collection.documents().entrySet())) {
          if (entry.getValue().path(match.group(3)).equals(value)) {
            if (match == remove) {
              collection.documents().remove(entry.getKey());
              writes++;
            } else {
              result.add(entry.getValue());
            }
          }
        }
      }
      ObjectNode answer =
          JSON.createObjectNode()
              .put("error", false)
              .put("code", 201)
              .put("hasMore", false)
              .put("cached", false);
      answer.set("result", result);
      ObjectNode stats = answer.putObject("extra").putObject("stats");
      stats
          .put("writesExecuted", writes)
          .put("writesIgnored", 0)
          .put("scannedFull", collection.documents().size())
          .put("filtered", 0);
      return ok(201, answer);
    }
  }
}
