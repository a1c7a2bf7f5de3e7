package ai.codvid.support;

import ai.codvid.CodvidApp;
import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts real Codvid nodes for tests: embedded store over the wire, HTTP on a free loopback port. */
public final class TestNode {

  /** A config for a node with its own data directory; cheap password hashing to keep tests fast. */
  public static JsonObject config(Path dataDir) {
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1").put("instances", 1))
        .put("data", new JsonObject().put("dir", dataDir.toString()))
        .put("password", new JsonObject().put("argon2_memory_kib", 1024).put("argon2_iterations", 1))
        .put("sentiment", new JsonObject().put("instances", 1))
        .put("scraper", new JsonObject().put("instances", 2));
  }

  public static Path tempDir() {
    try {
      return Files.createTempDirectory("codvid-test");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a node on the given Vert.x with the config. */
  public static Future<CodvidApp> start(Vertx vertx, JsonObject config) {
    return CodvidApp.start(vertx, AppConfig.of(config));
  }

  private TestNode() {
  }
}
