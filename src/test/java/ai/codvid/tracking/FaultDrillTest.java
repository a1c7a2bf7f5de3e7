package ai.codvid.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeApify;
import ai.codvid.store.Collections;
import ai.codvid.store.EmbeddedMongo;
import ai.codvid.support.ApiClient;
import ai.codvid.support.ClusterNodes;
import ai.codvid.support.Polling;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@DisplayName("Fault drills: the store and the upstream go away and come back")
class FaultDrillTest {

  private CodvidApp app;
  private ApiClient api;
  private EmbeddedMongo store;
  private FakeApify fake;

  @AfterEach
  void stop(Vertx vertx, VertxTestContext ctx) {
    if (api != null) {
      api.close();
    }
    (app == null ? Future.<Void>succeededFuture() : app.close())
        .compose(v -> fake == null ? Future.<Void>succeededFuture() : fake.close())
        .compose(v -> vertx.executeBlocking(() -> {
          if (store != null) {
            store.shutdown();
          }
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject response(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("response");
  }

  @Test
  @DisplayName("MongoDB stops: requests answer 503 with a clear message at once; it comes back: nothing was lost and the scheduler resumes")
  void storeOutage(Vertx vertx, VertxTestContext ctx) {
    Path dir = TestNode.tempDir();
    int port = ClusterNodes.freePort();
    String unavailable = "The database is temporarily unavailable. Please retry shortly.";
    String[] token = new String[1];
    String[] taskId = new String[1];
    long[] firstScrape = new long[1];
    long[] outageStart = new long[1];
    vertx.executeBlocking(() -> store = EmbeddedMongo.start(dir, port))
        .compose(s -> TestNode.start(vertx, TestNode.config(TestNode.tempDir())
            .put("mongo", new JsonObject().put("uri", store.connectionString()).put("server_selection_timeout_ms", 1000))
            .put("tracking", new JsonObject().put("scheduler_interval_seconds", 0.3))))
        .compose(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          return api.signup("outage@example.com", "test-password-1");
        })
        .compose(t -> {
          token[0] = t;
          return api.post("/project/create-project", t, new JsonObject().put("project_name", "kept"));
        })
        .compose(p -> api.post("/ig-tracking/create_task", token[0], new JsonObject().put("target_profile", "steady")))
        .compose(created -> {
          taskId[0] = response(created).getString("task_id");
          return Polling.until(vertx, 100, 15_000, () -> api.get("/ig-tracking/get_task/" + taskId[0], token[0])
              .map(t -> response(t).getLong("last_scraped")));
        })
        .compose(scraped -> {
          firstScrape[0] = scraped;
          return app.services().mongo.updateCollection(Collections.PROFILE_TASKS, new JsonObject().put("_id", taskId[0]),
              new JsonObject().put("$set", new JsonObject().put("next_scrape_due", System.currentTimeMillis() / 1000 + 2)));
        })
        .compose(u -> vertx.executeBlocking(() -> {
          store.shutdown();
          return null;
        }))
        .compose(v -> {
          outageStart[0] = System.currentTimeMillis();
          return Future.all(api.post("/project/get-project-list", token[0], null),
              api.post("/project/create-project", token[0], new JsonObject().put("project_name", "during")),
              api.post("/ig-tracking/force_scrape/" + taskId[0], token[0], null));
        })
        .compose(all -> {
          ctx.verify(() -> {
            for (int i = 0; i < 3; i++) {
              HttpResponse<Buffer> r = all.resultAt(i);
              assertEquals(503, r.statusCode(), r.bodyAsString());
              assertEquals(unavailable, r.bodyAsJsonObject().getString("message"));
            }
            assertTrue(System.currentTimeMillis() - outageStart[0] < 8_000, "answered without hanging");
          });
          return vertx.timer(3_000);
        })
        .compose(v -> vertx.executeBlocking(() -> store = EmbeddedMongo.start(dir, port)))
        .compose(s -> Polling.until(vertx, 200, 30_000, () -> api.post("/project/get-project-list", token[0], null)
            .map(r -> r.statusCode() == 200 ? r : null)))
        .compose(list -> {
          ctx.verify(() -> assertEquals(new JsonArray().add("kept"), response(list).getJsonArray("project_list"),
              "acknowledged writes kept; the refused one was not half-done"));
          return Polling.until(vertx, 200, 30_000, () -> api.get("/ig-tracking/get_task/" + taskId[0], token[0])
              .map(t -> t.statusCode() == 200 && response(t).getLong("last_scraped") > firstScrape[0] ? response(t) : null));
        })
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertNull(task.getValue("last_error"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the upstream is unreachable for a while: scheduled scrapes fail and back off (1 s, 2 s, 4 s …), then recover when it returns")
  void upstreamOutage(Vertx vertx, VertxTestContext ctx) {
    int port = ClusterNodes.freePort();
    List<Long> backoffs = new ArrayList<>();
    FakeApify.start(vertx, port)
        .compose(f -> {
          fake = f;
          return fake.close();
        })
        .compose(v -> TestNode.start(vertx, TestNode.config(TestNode.tempDir())
            .put("apify", new JsonObject().put("base_url", "http://127.0.0.1:" + port).put("token", FakeApify.TOKEN)
                .put("max_attempts", 2).put("initial_backoff_ms", 20).put("max_backoff_ms", 50).put("timeout_seconds", 2))
            .put("tracking", new JsonObject().put("scheduler_interval_seconds", 0.3).put("first_retry_seconds", 1))))
        .compose(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          return api.signup("upstream@example.com", "test-password-1");
        })
        .compose(token -> api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "patient"))
            .compose(created -> {
              String taskId = response(created).getString("task_id");
              return Polling.until(vertx, 100, 30_000, () -> api.get("/ig-tracking/get_task/" + taskId, token).map(t -> {
                    JsonObject task = response(t);
                    JsonObject error = task.getJsonObject("last_error");
                    if (error != null) {
                      long backoff = task.getLong("next_scrape_due") - error.getLong("at");
                      if (backoffs.isEmpty() || backoffs.get(backoffs.size() - 1) != backoff) {
                        backoffs.add(backoff);
                      }
                    }
                    return backoffs.size() >= 3 ? task : null;
                  }))
                  .compose(failing -> {
                    ctx.verify(() -> {
                      assertNull(failing.getValue("last_scraped"));
                      assertTrue(failing.getJsonObject("last_error").getString("message").contains("Apify"), failing.encode());
                    });
                    return FakeApify.start(vertx, port);
                  })
                  .compose(back -> {
                    fake = back;
                    return Polling.until(vertx, 200, 30_000, () -> api.get("/ig-tracking/get_task/" + taskId, token)
                        .map(t -> response(t).getValue("last_scraped") != null ? response(t) : null));
                  });
            }))
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertEquals(List.of(1L, 2L, 4L), backoffs.subList(0, 3), "the backoff doubles");
          assertNull(task.getValue("last_error"));
          assertEquals(3, task.getJsonObject("target_profile_data").getJsonArray("scraped_posts").size());
          ctx.completeNow();
        })));
  }
}
