package ai.codvid.store;

import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The document store: a real MongoDB when {@code mongo.uri} is set, otherwise the embedded
 * server under the data directory. Creates the indexes at start-up.
 */
public final class Store {

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);
  public static final String SHARED_CLIENT_NAME = "codvid-store";

  private final Vertx vertx;
  private final MongoClient mongo;
  private final EmbeddedMongo embedded;
  private final JsonObject clientConfig;

  private Store(Vertx vertx, MongoClient mongo, EmbeddedMongo embedded, JsonObject clientConfig) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.embedded = embedded;
    this.clientConfig = clientConfig;
  }

  public static Future<Store> start(Vertx vertx, AppConfig config) {
    String uri = config.mongoUri();
    int embeddedPort = config.integer("embedded_mongo.port", 0);
    if (config.clustered() && uri == null && embeddedPort == 0) {
      return Future.failedFuture(new IllegalStateException("A clustered node needs a store shared by all nodes: set "
          + "CODVID_MONGO_URI on every node, or let one node serve its embedded store with CODVID_EMBEDDED_MONGO_PORT=<port> "
          + "(and CODVID_EMBEDDED_MONGO_PASSWORD=<secret>) and point the other nodes' CODVID_MONGO_URI at "
          + StoreCredentials.uri("<secret>", 0).replace(":0/", ":<port>/") + " (or at the contents of that node's <data dir>/store.uri)"));
    }
    Future<EmbeddedMongo> embedded = uri != null
        ? Future.succeededFuture()
        : vertx.executeBlocking(() -> EmbeddedMongo.start(StoreOptions.from(config)));
    return embedded.compose(server -> {
      String connection = server != null ? server.connectionString() : uri;
      JsonObject clientConfig = new JsonObject()
          .put("connection_string", connection)
          .put("db_name", config.mongoDatabase())
          .put("serverSelectionTimeoutMS", config.integer("mongo.server_selection_timeout_ms", 3000))
          .put("connectTimeoutMS", config.integer("mongo.connect_timeout_ms", 3000))
          .put("maxPoolSize", config.integer("mongo.max_pool_size", 50));
      MongoClient client = MongoClient.createShared(vertx, clientConfig, SHARED_CLIENT_NAME);
      Store store = new Store(vertx, client, server, clientConfig);
      return store.createIndexes()
          .map(store)
          .recover(failure -> store.close().transform(ignored -> Future.failedFuture(
              new IllegalStateException("Cannot reach the store at " + redact(connection) + ": "
                  + failure.getMessage(), failure))));
    });
  }

  private Future<Void> createIndexes() {
    IndexOptions unique = new IndexOptions().unique(true);
    List<Future<Void>> all = new ArrayList<>(List.of(
        mongo.createIndexWithOptions(Collections.USERS, new JsonObject().put("email", 1), unique),
        mongo.createIndexWithOptions(Collections.PROJECTS,
            new JsonObject().put("user_id", 1).put("project_name", 1), unique),
        mongo.createIndexWithOptions(Collections.PROFILE_TASKS,
            new JsonObject().put("user_id", 1).put("target_profile", 1), unique),
        mongo.createIndexWithOptions(Collections.REEL_TASKS,
            new JsonObject().put("user_id", 1).put("project_name", 1).put("reel_id", 1), unique)));
    if (embedded == null) {
      // the embedded server only implements unique indexes; a real MongoDB gets the query indexes too
      all.add(mongo.createIndex(Collections.PROFILE_TASKS, new JsonObject().put("next_scrape_due", 1)));
      all.add(mongo.createIndex(Collections.REEL_TASKS, new JsonObject().put("next_scrape_due", 1)));
      all.add(mongo.createIndex(Collections.TASK_HISTORY, new JsonObject().put("task_id", 1).put("scraped_at_ms", -1)));
    }
    return Future.all(all).<Void>mapEmpty()
        .onSuccess(v -> LOG.info("Store ready ({} indexes ensured)", all.size()));
  }

  /** The shared client; every verticle may also obtain it with {@link #client(Vertx)}. */
  public MongoClient mongo() {
    return mongo;
  }

  /** A reference to the same shared pool, for verticles that want their own handle. */
  public MongoClient client(Vertx vertx) {
    return MongoClient.createShared(vertx, clientConfig, SHARED_CLIENT_NAME);
  }

  public JsonObject clientConfig() {
    return clientConfig.copy();
  }

  /** The embedded server's port, or -1 when a real MongoDB is used. */
  public int embeddedPort() {
    return embedded == null ? -1 : embedded.port();
  }

  /** The embedded store of this node, or null when another store is used. */
  public EmbeddedMongo embedded() {
    return embedded;
  }

  /**
   * Whether the store answers and takes writes: this node's own embedded store is asked
   * directly; another node's embedded store answers {@code codvidStatus}; a real MongoDB only a
   * ping (and counts as writable).
   */
  public Future<StoreStatus> status() {
    if (embedded != null) {
      return mongo.runCommand("ping", new JsonObject().put("ping", 1)).map(ok -> embedded.status());
    }
    return mongo.runCommand("codvidStatus", new JsonObject().put("codvidStatus", 1))
        .map(s -> new StoreStatus(s.getBoolean("writable", true), s.getString("reason"), s.getLong("fileBytes", -1L),
            s.getLong("version", -1L), s.getLong("freeBytes", -1L)))
        .recover(e -> MongoErrors.code(e) == MongoErrors.COMMAND_NOT_FOUND
            ? mongo.runCommand("ping", new JsonObject().put("ping", 1)).map(ok -> StoreStatus.writableRemote())
            : Future.failedFuture(e));
  }

  public Future<Void> close() {
    return mongo.close()
        .recover(ignored -> Future.succeededFuture())
        .compose(v -> embedded == null ? Future.succeededFuture()
            : vertx.executeBlocking(() -> {
              embedded.shutdown();
              return null;
            }));
  }

  static String redact(String uri) {
    return uri == null ? null : uri.replaceAll("//[^@/]*@", "//***@");
  }
}
