package ai.codvid.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Typed view of the merged configuration.
 *
 * <p>Stores are read in the order {@code conf/config.json} → environment → system properties.
 * A key {@code http.port} is looked up, highest precedence first, as the system property
 * {@code http.port}, as {@code CODVID_HTTP_PORT} (environment or system property), and as the
 * nested path {@code http → port} of the JSON file. Components read their own keys through the
 * generic accessors ({@link #string}, {@link #integer}, …) into their own {@code XxxOptions}.
 */
public final class AppConfig {

  public static final String DEFAULT_FILE = "conf/config.json";

  private final JsonObject merged;
  private final boolean systemProperties;

  private AppConfig(JsonObject merged, boolean systemProperties) {
    this.merged = merged;
    this.systemProperties = systemProperties;
  }

  /** A config from an already merged JSON object, without system properties (tests build one directly). */
  public static AppConfig of(JsonObject merged) {
    return new AppConfig(merged.copy(), false);
  }

  /** Reads the file (path from {@code CODVID_CONFIG}, default {@value #DEFAULT_FILE}), env and system properties. */
  public static Future<AppConfig> load(Vertx vertx) {
    String file = System.getenv().getOrDefault("CODVID_CONFIG",
        System.getProperty("CODVID_CONFIG", DEFAULT_FILE));
    ConfigStoreOptions fileStore = new ConfigStoreOptions().setType("file").setFormat("json")
        .setOptional(true).setConfig(new JsonObject().put("path", file));
    ConfigStoreOptions envStore = new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true));
    ConfigStoreOptions sysStore = new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("cache", false));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setScanPeriod(0).addStore(fileStore).addStore(envStore).addStore(sysStore));
    return retriever.getConfig()
        .map(merged -> new AppConfig(merged, true))
        .onComplete(ignored -> retriever.close());
  }

  /** {@code http.port} → {@code CODVID_HTTP_PORT}. */
  public static String envName(String key) {
    return "CODVID_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * The raw value of a key, or null: a system property ({@code key} or its env name) first,
   * then the environment, then the file (a top-level key of the file shares its name with a
   * system property, which is why system properties are read directly).
   */
  public Object value(String key) {
    Object v = null;
    if (systemProperties) {
      v = System.getProperty(key);
      if (v == null) {
        v = System.getProperty(envName(key));
      }
    }
    if (v == null) {
      v = merged.getValue(envName(key));
    }
    if (v == null) {
      v = nested(key);
    }
    if (v instanceof String s && s.isBlank()) {
      return null;
    }
    return v;
  }

  private Object nested(String key) {
    Object node = merged;
    for (String part : key.split("\\.")) {
      if (!(node instanceof JsonObject obj)) {
        return null;
      }
      node = obj.getValue(part);
    }
    return node;
  }

  public String string(String key, String def) {
    Object v = value(key);
    return v == null ? def : v.toString();
  }

  public int integer(String key, int def) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    try {
      return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Configuration " + key + " (" + envName(key)
          + ") must be an integer, got '" + v + "'");
    }
  }

  public long longValue(String key, long def) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    try {
      return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Configuration " + key + " (" + envName(key)
          + ") must be an integer, got '" + v + "'");
    }
  }

  public double decimal(String key, double def) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    try {
      return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Configuration " + key + " (" + envName(key)
          + ") must be a number, got '" + v + "'");
    }
  }

  public boolean bool(String key, boolean def) {
    Object v = value(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("Configuration " + key + " (" + envName(key)
          + ") must be true or false, got '" + v + "'");
    };
  }

  /** A copy of this config with one key set (nested), for tests and derived settings. */
  public AppConfig with(String key, Object value) {
    JsonObject copy = merged.copy();
    copy.remove(key);
    copy.remove(envName(key));
    String[] parts = key.split("\\.");
    JsonObject node = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getValue(parts[i]) instanceof JsonObject o ? o : new JsonObject();
      node.put(parts[i], child);
      node = child;
    }
    node.put(parts[parts.length - 1], value);
    return new AppConfig(copy, systemProperties);
  }

  // ---- the foundation's keys ----

  public int httpPort() {
    return integer("http.port", 8080);
  }

  public String httpHost() {
    return string("http.host", "0.0.0.0");
  }

  public int httpInstances() {
    return Math.max(1, integer("http.instances", Runtime.getRuntime().availableProcessors()));
  }

  public long httpBodyLimitBytes() {
    return longValue("http.body_limit_bytes", 1024 * 1024);
  }

  public String corsOrigins() {
    return string("http.cors_origins", "*");
  }

  public Path dataDir() {
    return Path.of(string("data.dir", "./data"));
  }

  public String mongoUri() {
    return string("mongo.uri", null);
  }

  public String mongoDatabase() {
    return string("mongo.database", "codvid");
  }

  public String jwtSecret() {
    return string("jwt.secret", null);
  }

  public long jwtExpirySeconds() {
    return Math.round(decimal("jwt.expiry_days", 30) * 86400);
  }

  public boolean clustered() {
    return bool("clustered", false);
  }

  public String clusterConfig() {
    return string("cluster.config", null);
  }

  public JsonObject toJson() {
    return merged.copy();
  }
}
