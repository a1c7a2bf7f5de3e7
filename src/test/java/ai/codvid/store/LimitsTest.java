package ai.codvid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.CodvidException;
import ai.codvid.support.ApiClient;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@DisplayName("Per-account limits and the document size limit answer clear 4xx")
class LimitsTest {

  private CodvidApp app;
  private ApiClient api;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestNode.start(vertx, TestNode.config(TestNode.tempDir())
            .put("limits", new JsonObject().put("projects_per_user", 3).put("profile_tasks_per_user", 2)
                .put("reel_tasks_per_project", 1))
            .put("store", new JsonObject().put("max_document_bytes", 16_384))
            .put("tracking", new JsonObject().put("scheduler_enabled", false).put("history_max_snapshots", 2)))
        .onComplete(ctx.succeeding(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("10 concurrent create-project calls with a limit of 3: exactly 3 succeed, the others answer 400 'Limit reached'")
  void projects(VertxTestContext ctx) {
    api.signup("projects@example.com", "test-password-1").compose(token -> {
      List<Future<HttpResponse<Buffer>>> creates = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        creates.add(api.post("/project/create-project", token, new JsonObject().put("project_name", "p" + i)));
      }
      return Future.all(creates).compose(all -> api.post("/project/get-project-list", token, null).map(list -> {
        ctx.verify(() -> {
          int ok = 0;
          for (int i = 0; i < 10; i++) {
            HttpResponse<Buffer> r = all.resultAt(i);
            if (r.statusCode() == 200) {
              ok++;
            } else {
              assertEquals(400, r.statusCode(), r.bodyAsString());
              assertTrue(r.bodyAsJsonObject().getString("message").startsWith("Limit reached: an account can have at most 3 projects"),
                  r.bodyAsString());
            }
          }
          assertEquals(3, ok);
          assertEquals(3, list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list").size());
        });
        return null;
      }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a third profile task answers 409; a second reel in one project answers 409, in another project it is accepted")
  void tasks(VertxTestContext ctx) {
    String[] token = new String[1];
    api.signup("tasks@example.com", "test-password-1")
        .compose(t -> {
          token[0] = t;
          return api.post("/ig-tracking/create_task", t, new JsonObject().put("target_profile", "one"));
        })
        .compose(r -> api.post("/ig-tracking/create_task", token[0], new JsonObject().put("target_profile", "two")))
        .compose(r -> api.post("/ig-tracking/create_task", token[0], new JsonObject().put("target_profile", "three")))
        .compose(third -> api.post("/project/create-project", token[0], new JsonObject().put("project_name", "a"))
            .compose(r -> api.post("/project/create-project", token[0], new JsonObject().put("project_name", "b")))
            .compose(r -> reel(token[0], "a", "Reel1"))
            .compose(r -> reel(token[0], "a", "Reel2"))
            .compose(secondInA -> reel(token[0], "b", "Reel2").map(firstInB -> {
              ctx.verify(() -> {
                assertEquals(409, third.statusCode(), third.bodyAsString());
                assertTrue(third.bodyAsJsonObject().getString("message").contains("at most 2 profiles"), third.bodyAsString());
                assertEquals(409, secondInA.statusCode(), secondInA.bodyAsString());
                assertTrue(secondInA.bodyAsJsonObject().getString("message").contains("at most 1 reels"), secondInA.bodyAsString());
                assertEquals(200, firstInB.statusCode(), firstInB.bodyAsString());
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> reel(String token, String project, String id) {
    return api.post("/ig-tracking/create_reel_task", token, new JsonObject().put("project_name", project)
        .put("reel_url", "https://www.instagram.com/reel/" + id + "/"));
  }

  @Test
  @DisplayName("a project that would exceed store.max_document_bytes answers 413, and an update that would changes nothing")
  void documentSize(VertxTestContext ctx) {
    JsonArray keywords = new JsonArray();
    for (int i = 0; i < 100; i++) {
      keywords.add("k".repeat(99) + (i % 10));
    }
    String[] token = new String[1];
    api.signup("big@example.com", "test-password-1")
        .compose(t -> {
          token[0] = t;
          return api.post("/project/create-project", t, new JsonObject().put("project_name", "huge")
              .put("description", "d".repeat(10_000)).put("keywords", keywords));
        })
        .compose(huge -> api.post("/project/create-project", token[0], new JsonObject().put("project_name", "fits")
                .put("description", "d".repeat(10_000)))
            .compose(fits -> api.get("/auth/get_uuid", token[0]))
            .compose(uuid -> {
              String userId = uuid.bodyAsJsonObject().getString("uuid");
              return app.services().projects.modify(userId, "fits",
                      new JsonObject().put("$set", new JsonObject().put("project_info.keywords", keywords)), 1)
                  .transform(update -> api.post("/project/get-project-data", token[0], new JsonObject().put("project_name", "fits"))
                      .map(data -> {
                        ctx.verify(() -> {
                          assertEquals(413, huge.statusCode(), huge.bodyAsString());
                          assertEquals(MongoErrors.DOCUMENT_TOO_LARGE, huge.bodyAsJsonObject().getString("message"));
                          assertTrue(update.failed() && update.cause() instanceof CodvidException e && e.code().status() == 413,
                              String.valueOf(update.cause()));
                          JsonObject project = data.bodyAsJsonObject().getJsonObject("response").getJsonObject("project_data");
                          assertEquals(0L, project.getLong("mod_count"));
                          assertEquals(0, project.getJsonObject("project_info").getJsonArray("keywords").size());
                        });
                        return null;
                      }));
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("with tracking.history_max_snapshots 2, three scrapes keep the newest two snapshots")
  void history(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    String[] task = new String[1];
    api.signup("history@example.com", "test-password-1")
        .compose(t -> {
          token[0] = t;
          return api.post("/ig-tracking/create_task", t, new JsonObject().put("target_profile", "history_profile"));
        })
        .compose(created -> {
          task[0] = created.bodyAsJsonObject().getJsonObject("response").getString("task_id");
          return scrape(vertx, token[0], task[0], 1);
        })
        .compose(v -> scrape(vertx, token[0], task[0], 2))
        .compose(v -> scrape(vertx, token[0], task[0], 3))
        .compose(v -> api.get("/ig-tracking/get_task_history/" + task[0] + "?limit=100", token[0]))
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertEquals(2, history.bodyAsJsonObject().getJsonObject("response").getInteger("count"), history.bodyAsString());
          ctx.completeNow();
        })));
  }

  /** Forces a scrape and waits until the task's history has grown (up to the limit). */
  private Future<Void> scrape(Vertx vertx, String token, String taskId, int expectedRuns) {
    return api.post("/ig-tracking/force_scrape/" + taskId, token, null)
        .compose(r -> Polling.until(vertx, 100, 20_000, () -> api.get("/ig-tracking/task_status/" + taskId, token).map(status -> {
          JsonObject s = status.bodyAsJsonObject().getJsonObject("response");
          return !s.getBoolean("is_processing") && "completed".equals(s.getString("status"))
              && s.getString("run_id").equals(r.bodyAsJsonObject().getString("run_id")) ? s : null;
        })))
        .mapEmpty();
  }
}
