package ai.codvid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.Polling;
import ai.codvid.support.StoreFixtures;
import ai.codvid.support.TestNode;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
@DisplayName("A full disk (a small tmpfs): writes answer 503, reads go on, /ready says so, and writes resume when space returns")
class FullDiskTest {

  private Path mount;
  private CodvidApp app;
  private ApiClient api;
  private ListAppender<ILoggingEvent> logs;
  private Logger engineLog;

  @BeforeEach
  void mountTmpfs() throws Exception {
    Assumptions.assumeTrue(StoreFixtures.isRoot() && StoreFixtures.hasCommand("mount"),
        "needs root and mount to create a small tmpfs (not available here, e.g. an unprivileged CI container): skipped");
    mount = Files.createTempDirectory("codvid-fulldisk");
    Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    boolean mounted = mounting.waitFor(30, TimeUnit.SECONDS) && mounting.exitValue() == 0;
    Assumptions.assumeTrue(mounted, "mount -t tmpfs failed (" + new String(mounting.getInputStream().readAllBytes()).trim()
        + "): skipped");
    engineLog = (Logger) LoggerFactory.getLogger(StoreEngine.class);
    logs = new ListAppender<>();
    logs.start();
    engineLog.addAppender(logs);
  }

  @AfterEach
  void unmount(Vertx vertx, VertxTestContext ctx) {
    if (engineLog != null) {
      engineLog.detachAppender(logs);
    }
    if (api != null) {
      api.close();
    }
    (app == null ? Future.<Void>succeededFuture() : app.close()).onComplete(done -> {
      try {
        if (mount != null) {
          new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (Exception ignored) {
        // best effort
      }
      ctx.completeNow();
    });
  }

  private Future<String> startNode(Vertx vertx, long minFreeBytes) {
    JsonObject config = TestNode.config(mount.resolve("data"))
        .put("store", new JsonObject().put("min_free_bytes", minFreeBytes))
        .put("tracking", new JsonObject().put("scheduler_enabled", false));
    return TestNode.start(vertx, config).compose(started -> {
      app = started;
      api = new ApiClient(vertx, app.httpPort());
      return api.signup("full@example.com", "test-password-1");
    });
  }

  @Test
  @DisplayName("below store.min_free_bytes: writes 503 with a clear message, reads 200, /ready READ_ONLY, logged once; space back → writes again")
  void belowReserve(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    Path filler = mount.resolve("filler");
    startNode(vertx, 4L * 1024 * 1024)
        .compose(t -> {
          token[0] = t;
          return api.post("/project/create-project", t, new JsonObject().put("project_name", "before"));
        })
        .compose(created -> vertx.executeBlocking(() -> {
          fill(filler, 1024 * 1024);
          return null;
        }))
        .compose(v -> vertx.timer(500))
        .compose(v -> Future.all(api.post("/project/create-project", token[0], new JsonObject().put("project_name", "during")),
            api.post("/ig-tracking/create_task", token[0], new JsonObject().put("target_profile", "during")),
            api.post("/project/create-project", token[0], new JsonObject().put("project_name", "during2"))))
        .compose(writes -> Future.all(api.post("/project/get-project-list", token[0], null), api.get("/ready", null))
            .map(reads -> {
              ctx.verify(() -> {
                for (int i = 0; i < 3; i++) {
                  HttpResponse<Buffer> r = writes.resultAt(i);
                  assertEquals(503, r.statusCode(), r.bodyAsString());
                  assertEquals(MongoErrors.STORE_READ_ONLY, r.bodyAsJsonObject().getString("message"));
                }
                HttpResponse<Buffer> list = reads.resultAt(0);
                assertEquals(200, list.statusCode(), list.bodyAsString());
                assertEquals(new JsonArray().add("before"), list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list"));
                HttpResponse<Buffer> ready = reads.resultAt(1);
                assertEquals(503, ready.statusCode(), ready.bodyAsString());
                assertEquals("READ_ONLY", ready.bodyAsJsonObject().getJsonObject("checks").getString("store"));
                assertEquals(1, warnings("stopped accepting writes"), "the reason is logged once, not per request");
                assertTrue(message("stopped accepting writes").contains("full"), message("stopped accepting writes"));
              });
              return null;
            }))
        .compose(v -> vertx.executeBlocking(() -> {
          Files.delete(filler);
          return null;
        }))
        .compose(v -> Polling.until(vertx, 200, 15_000, () -> api.post("/project/create-project", token[0],
            new JsonObject().put("project_name", "after")).map(r -> r.statusCode() == 200 ? r : null)))
        .compose(v -> Future.all(api.get("/ready", null), api.post("/project/get-project-list", token[0], null)))
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          HttpResponse<Buffer> ready = after.resultAt(0);
          assertEquals(200, ready.statusCode(), ready.bodyAsString());
          JsonArray names = ((HttpResponse<Buffer>) after.resultAt(1)).bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list");
          assertTrue(names.contains("before") && names.contains("after") && !names.contains("during"), names.encode());
          assertEquals(1, infos("accepts writes again"), "the recovery is logged once");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("no reserve and a disk filled to the last byte: the failed commit answers 503, the store reopens read-only, and read-write once space is back")
  void failedCommit(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    Path filler = mount.resolve("filler");
    startNode(vertx, 0)
        .compose(t -> {
          token[0] = t;
          return api.post("/project/create-project", t, new JsonObject().put("project_name", "before"));
        })
        .compose(created -> vertx.executeBlocking(() -> {
          fill(filler, 0);
          return null;
        }))
        .compose(v -> api.post("/project/create-project", token[0], new JsonObject().put("project_name", "during")
            .put("description", "d".repeat(10_000))))
        .compose(write -> Polling.until(vertx, 200, 10_000, () -> api.post("/project/get-project-list", token[0], null)
                .map(r -> r.statusCode() == 200 ? r : null))
            .compose(list -> api.get("/ready", null).map(ready -> {
              ctx.verify(() -> {
                assertEquals(503, write.statusCode(), write.bodyAsString());
                assertEquals(new JsonArray().add("before"), list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list"));
                assertEquals(503, ready.statusCode(), ready.bodyAsString());
                assertEquals(1, warnings("stopped accepting writes"), "logged once");
              });
              return null;
            })))
        .compose(v -> vertx.executeBlocking(() -> {
          Files.delete(filler);
          return null;
        }))
        .compose(v -> Polling.until(vertx, 250, 20_000, () -> api.post("/project/create-project", token[0],
            new JsonObject().put("project_name", "after")).map(r -> r.statusCode() == 200 ? r : null)))
        .compose(v -> api.get("/ready", null))
        .onComplete(ctx.succeeding(ready -> ctx.verify(() -> {
          assertEquals(200, ready.statusCode(), ready.bodyAsString());
          ctx.completeNow();
        })));
  }

  /** Fills the tmpfs until only {@code leave} bytes are free (0: until the disk refuses more). */
  private void fill(Path filler, long leave) throws IOException {
    long usable = Files.getFileStore(mount).getUsableSpace();
    byte[] block = new byte[64 * 1024];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (leave == 0 || written + block.length <= usable - leave) {
        out.write(block);
        written += block.length;
      }
    } catch (IOException full) {
      if (leave != 0) {
        throw full;
      }
    }
    if (leave == 0) {
      try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
        while (true) {
          out.write(1);
          out.flush();
        }
      } catch (IOException full) {
        // the last byte is taken
      }
    }
  }

  private long warnings(String text) {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text)).count();
  }

  private long infos(String text) {
    return logs.list.stream().filter(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains(text)).count();
  }

  private String message(String text) {
    return logs.list.stream().filter(e -> e.getFormattedMessage().contains(text)).map(ILoggingEvent::getFormattedMessage)
        .findFirst().orElse("");
  }
}
