package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Persistence of the embedded store")
class PersistenceTest {

  @Test
  @DisplayName("users, projects and the JWT secret survive a clean restart: the old token still works")
  void survivesRestart(Vertx vertx, VertxTestContext ctx) {
    Path dir = TestNode.tempDir();
    JsonObject config = TestNode.config(dir);
    TestNode.start(vertx, config).compose(first -> {
      ApiClient api = new ApiClient(vertx, first.httpPort());
      return api.signup("persist@example.com", "test-password-1")
          .compose(token -> api.post("/project/create-project", token, new JsonObject().put("project_name", "kept"))
              .map(token))
          .compose(token -> first.close().map(token))
          .onComplete(ignored -> api.close());
    }).compose(token -> {
      Vertx fresh = Vertx.vertx();
      return TestNode.start(fresh, config)
          .compose(second -> {
            ApiClient api = new ApiClient(fresh, second.httpPort());
            return api.post("/project/get-project-list", token, null)
                .onComplete(ignored -> api.close())
                .compose(list -> second.close().map(list));
          });
    })
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertEquals(200, list.statusCode(), list.bodyAsString());
          assertEquals(new JsonArray().add("kept"), list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  @DisplayName("every acknowledged write survives kill -9 of the server process")
  void survivesKill9(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path dir = TestNode.tempDir();
    int port = freePort();
    Process server = startServer(dir, port);
    int writes = 30;
    waitForPing(vertx, port)
        .compose(v -> {
          ApiClient api = new ApiClient(vertx, port);
          return api.signup("kill9@example.com", "test-password-1").compose(token -> {
            Future<Void> chain = Future.succeededFuture();
            for (int i = 0; i < writes; i++) {
              String project = "p" + i;
              chain = chain.compose(x -> api.post("/project/create-project", token, new JsonObject().put("project_name", project))
                  .map(r -> {
                    if (r.statusCode() != 200) {
                      throw new IllegalStateException(r.bodyAsString());
                    }
                    return null;
                  }));
            }
            return chain.map(token);
          }).onComplete(ignored -> api.close());
        })
        .compose(token -> vertx.executeBlocking(() -> {
          server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          return startServer(dir, port);
        }).compose(restarted -> waitForPing(vertx, port)
            .compose(v -> {
              ApiClient api = new ApiClient(vertx, port);
              return api.post("/project/get-project-list", token, null).onComplete(ignored -> api.close());
            })
            .eventually(() -> vertx.executeBlocking(() -> {
              restarted.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
              return null;
            }))))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertEquals(200, list.statusCode(), list.bodyAsString());
          assertEquals(writes, list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list").size());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  @DisplayName("with eight writers sharing group commits, every write answered 200 before kill -9 is there after the restart")
  void survivesKill9UnderConcurrentWrites(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path dir = TestNode.tempDir();
    int port = freePort();
    Process server = startServer(dir, port);
    java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
    waitForPing(vertx, port)
        .compose(v -> {
          ApiClient api = new ApiClient(vertx, port);
          return api.signup("group@example.com", "test-password-1").compose(token -> {
            List<Future<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
              writers.add(writer(api, token, "w" + w, 0, acknowledged, killed));
            }
            Future<Void> kill = vertx.timer(1_500).compose(t -> vertx.executeBlocking(() -> {
              killed.set(true);
              server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
              return null;
            }));
            return kill.compose(x -> Future.join(writers).otherwiseEmpty()).map(token);
          }).onComplete(ignored -> api.close());
        })
        .compose(token -> vertx.executeBlocking(() -> startServer(dir, port)).compose(restarted -> waitForPing(vertx, port)
            .compose(v -> {
              ApiClient api = new ApiClient(vertx, port);
              return api.post("/project/get-project-list", token, null).onComplete(ignored -> api.close());
            })
            .eventually(() -> vertx.executeBlocking(() -> {
              restarted.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
              return null;
            }))))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertEquals(200, list.statusCode(), list.bodyAsString());
          JsonArray names = list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list");
          org.junit.jupiter.api.Assertions.assertTrue(acknowledged.size() > 8, "writes were acknowledged: " + acknowledged.size());
          for (String name : acknowledged) {
            org.junit.jupiter.api.Assertions.assertTrue(names.contains(name), name + " was acknowledged but is gone");
          }
          ctx.completeNow();
        })));
  }

  /** Creates projects one after the other until the server dies, remembering each one answered 200. */
  private static Future<Void> writer(ApiClient api, String token, String prefix, int i, java.util.Set<String> acknowledged,
      java.util.concurrent.atomic.AtomicBoolean killed) {
    if (killed.get()) {
      return Future.succeededFuture();
    }
    String name = prefix + "-" + i;
    return api.post("/project/create-project", token, new JsonObject().put("project_name", name)).compose(r -> {
      if (r.statusCode() == 200) {
        acknowledged.add(name);
      }
      return writer(api, token, prefix, i + 1, acknowledged, killed);
    }, failure -> Future.succeededFuture());
  }

  static Process startServer(Path dataDir, int port) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "ai.codvid.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("server.log").toFile());
    builder.environment().put("CODVID_DATA_DIR", dataDir.toString());
    builder.environment().put("CODVID_HTTP_PORT", String.valueOf(port));
    builder.environment().put("CODVID_HTTP_HOST", "127.0.0.1");
    builder.environment().put("CODVID_HTTP_INSTANCES", "1");
    builder.environment().put("CODVID_PASSWORD_ARGON2_MEMORY_KIB", "1024");
    builder.environment().put("CODVID_LIMITS_PROJECTS_PER_USER", "100000");
    builder.environment().remove("CODVID_MONGO_URI");
    builder.environment().remove("CODVID_CLUSTERED");
    return builder.start();
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static Future<Void> waitForPing(Vertx vertx, int port) {
    Promise<Void> ready = Promise.promise();
    ApiClient api = new ApiClient(vertx, port);
    long deadline = System.currentTimeMillis() + 60_000;
    vertx.setPeriodic(200, id -> api.get("/ping", null).onComplete(ar -> {
      if (ar.succeeded() && ar.result().statusCode() == 200) {
        vertx.cancelTimer(id);
        api.close();
        ready.tryComplete();
      } else if (System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        api.close();
        ready.tryFail("server did not start within 60 s");
      }
    }));
    return ready.future();
  }
}
