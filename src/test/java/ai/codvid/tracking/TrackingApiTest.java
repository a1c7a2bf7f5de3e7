package ai.codvid.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.fakes.FakeApify;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Profile and reel tracking over the event-bus pipeline")
class TrackingApiTest {

  private static final List<String> RUN_EVENTS = List.of("scrape_started", "account_fetched", "reels_filtered",
      "processing_reels", "reels_processed", "profile_data_updated", "scrape_completed");

  private TrackingFixture fx;
  private String token;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TrackingFixture.start(vertx, c -> c)
        .compose(f -> {
          fx = f;
          return fx.api.signup("tracker@example.com", "test-password-1");
        })
        .onComplete(ctx.succeeding(t -> {
          token = t;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    fx.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject response(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("response");
  }

  private static List<String> eventTypes(JsonObject status) {
    List<String> types = new ArrayList<>();
    status.getJsonArray("logs").forEach(e -> types.add(((JsonObject) e).getString("event_type")));
    return types;
  }

  @Test
  @DisplayName("profile flow: create, force_scrape at once, status logs in order, 3 recent posts with ≤ 10 most-liked classified comments, summary and history")
  void profileFlow(Vertx vertx, VertxTestContext ctx) {
    String user = "acme.brand";
    fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "@Acme.Brand"))
        .compose(created -> {
          JsonObject body = response(created);
          String taskId = body.getString("task_id");
          ctx.verify(() -> {
            assertEquals(200, created.statusCode(), created.bodyAsString());
            assertEquals("Instagram tracking task created successfully", body.getString("message"));
          });
          return fx.api.get("/ig-tracking/get_task/" + taskId, token).compose(before -> {
            ctx.verify(() -> {
              JsonObject task = response(before);
              assertNull(task.getValue("last_scraped"));
              assertTrue(task.containsKey("last_scraped"));
              assertEquals(user, task.getString("target_profile"));
              assertEquals(task.getString("_id"), task.getJsonObject("task").getString("task_id"));
              assertEquals(new JsonArray(), task.getJsonObject("target_profile_data").getJsonArray("scraped_posts"));
            });
            return fx.forceScrape(token, taskId);
          }).compose(forced -> {
            ctx.verify(() -> {
              assertEquals(200, forced.statusCode(), forced.bodyAsString());
              JsonObject body2 = forced.bodyAsJsonObject();
              assertEquals(true, body2.getBoolean("result"));
              assertEquals("Task scraping initiated successfully", body2.getString("message"));
              assertEquals(taskId, body2.getString("task_id"));
              assertEquals("processing", body2.getString("status"));
            });
            return fx.awaitIdle(vertx, token, taskId);
          }).compose(status -> {
            ctx.verify(() -> {
              assertEquals(RUN_EVENTS, eventTypes(status));
              assertEquals("completed", status.getString("status"));
              assertEquals(7, status.getInteger("logs_count"));
              assertEquals("scrape_completed", status.getJsonObject("latest_event").getString("event_type"));
              for (Object e : status.getJsonArray("logs")) {
                JsonObject event = (JsonObject) e;
                assertNotNull(event.getLong("timestamp"));
                assertFalse(event.getString("message").isBlank());
              }
            });
            return Future.all(fx.api.get("/ig-tracking/get_task/" + taskId, token),
                fx.api.get("/ig-tracking/sentiment_summary/" + taskId, token),
                fx.api.get("/ig-tracking/get_task_history/" + taskId, token),
                fx.api.get("/ig-tracking/task_status/" + taskId + "?logs_count=2", token));
          }).compose(all -> {
            JsonObject task = response(all.resultAt(0));
            JsonObject summary = response(all.resultAt(1)).getJsonObject("sentiment_summary");
            JsonObject history = response(all.resultAt(2));
            JsonObject status = response(all.resultAt(3));
            ctx.verify(() -> {
              assertNotNull(task.getLong("last_scraped"));
              assertEquals(task.getLong("last_scraped") + 2 * 86_400, task.getLong("next_scrape_due"));
              JsonObject data = task.getJsonObject("target_profile_data");
              assertEquals(data, task.getJsonObject("task").getJsonObject("target_profile_data"));
              assertEquals(user, data.getString("username"));
              assertEquals(12_345L, data.getLong("followers"));
              assertEquals(321L, data.getLong("follows_count"));
              JsonArray posts = data.getJsonArray("scraped_posts");
              assertEquals(3, posts.size());
              List<String> ids = new ArrayList<>();
              long total = 0;
              for (Object p : posts) {
                JsonObject post = (JsonObject) p;
                ids.add(post.getString("short_code"));
                assertFalse(post.getBoolean("is_pinned"), "the old pinned post never crowds out recent ones");
                JsonArray comments = post.getJsonArray("top_comments");
                assertEquals(10, comments.size());
                long previous = Long.MAX_VALUE;
                for (Object c : comments) {
                  JsonObject comment = (JsonObject) c;
                  assertTrue(Set.of("positive", "negative", "neutral").contains(comment.getString("sentiment")), comment.encode());
                  assertTrue(comment.getLong("likes_count") <= previous, "most liked first");
                  previous = comment.getLong("likes_count");
                }
                total += comments.size();
              }
              assertEquals(List.of(FakeApify.shortCode(user, 1), FakeApify.shortCode(user, 2), FakeApify.shortCode(user, 3)), ids);
              JsonObject reel = posts.getJsonObject(0);
              assertEquals("reel", reel.getString("type"));
              assertEquals(9_000L, reel.getLong("video_play_count"));
              assertNull(posts.getJsonObject(2).getValue("likes_count"), "a hidden like count is null, never -1");
              assertEquals(total, summary.getLong("total_comments"));
              JsonObject distribution = summary.getJsonObject("sentiment_distribution");
              long counted = 0;
              for (String label : List.of("positive", "negative", "neutral")) {
                long expected = posts.stream().flatMap(p -> ((JsonObject) p).getJsonArray("top_comments").stream())
                    .filter(c -> label.equals(((JsonObject) c).getString("sentiment"))).count();
                assertEquals(expected, distribution.getLong(label));
                counted += expected;
              }
              assertEquals(total, counted);
              JsonObject pct = summary.getJsonObject("sentiment_percentages");
              assertEquals(100.0, pct.getDouble("positive") + pct.getDouble("negative") + pct.getDouble("neutral"), 0.11);
              assertEquals(1, history.getInteger("count"));
              assertEquals(2, status.getJsonArray("logs").size());
              assertEquals(7, status.getInteger("logs_count"));
              assertEquals(2, status.getInteger("requested_logs_count"));
              assertFalse(status.getBoolean("is_processing"));
            });
            return fx.forceScrape(token, taskId)
                .compose(again -> fx.awaitIdle(vertx, token, taskId))
                .compose(s -> fx.api.get("/ig-tracking/get_task_history/" + taskId + "?limit=5", token));
          });
        })
        .onComplete(ctx.succeeding(history -> ctx.verify(() -> {
          assertEquals(2, response(history).getInteger("count"), "history grows by one per scrape");
          assertEquals(4 * 2, fx.fake.calls(), "one profile call and three comment calls per scrape");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("20 simultaneous force_scrapes of one task: exactly one 200, the rest 409, one upstream fetch")
  void concurrentForceScrapes(Vertx vertx, VertxTestContext ctx) {
    fx.fake.delay(300);
    fx.createProfileTask(token, "racer").compose(taskId -> {
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(fx.forceScrape(token, taskId));
      }
      return Future.all(calls).compose(all -> fx.awaitIdle(vertx, token, taskId).map(all));
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      int ok = 0;
      int conflicts = 0;
      for (int i = 0; i < 20; i++) {
        HttpResponse<Buffer> r = all.resultAt(i);
        if (r.statusCode() == 200) {
          ok++;
        } else {
          assertEquals(409, r.statusCode());
          assertEquals("Task is already being processed", r.bodyAsJsonObject().getString("message"));
          conflicts++;
        }
      }
      assertEquals(1, ok);
      assertEquals(19, conflicts);
      assertEquals(1, fx.fake.calls(FakeApify.PROFILE_ACTOR));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("upstream 500s are retried to success, with scrape_retrying events in the log")
  void retriedToSuccess(Vertx vertx, VertxTestContext ctx) {
    fx.createProfileTask(token, "flaky").compose(taskId -> {
      fx.fake.failNext(500, 2);
      return fx.forceScrape(token, taskId).compose(r -> fx.awaitIdle(vertx, token, taskId));
    }).onComplete(ctx.succeeding(status -> ctx.verify(() -> {
      List<String> types = eventTypes(status);
      assertEquals("completed", status.getString("status"), types.toString());
      assertEquals(2, types.stream().filter("scrape_retrying"::equals).count());
      assertEquals("scrape_completed", types.get(types.size() - 1));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("401, 402 and not-found fail the run with a clear event; the last good data stays intact")
  void failuresKeepData(Vertx vertx, VertxTestContext ctx) {
    fx.createProfileTask(token, "keeper").compose(taskId -> fx.forceScrape(token, taskId)
        .compose(r -> fx.awaitIdle(vertx, token, taskId))
        .compose(s -> fx.api.get("/ig-tracking/get_task/" + taskId, token))
        .compose(good -> {
          JsonObject goodData = response(good).getJsonObject("target_profile_data");
          List<Runnable> breakages = List.of(() -> fx.fake.token("another-token"), fx.fake::usageLimit,
              () -> fx.fake.errorItems("keeper"));
          List<String> expected = List.of("token", "usage limit", "not found");
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < breakages.size(); i++) {
            Runnable breakage = breakages.get(i);
            String words = expected.get(i);
            chain = chain.compose(v -> {
              fx.fake.reset();
              breakage.run();
              int before = fx.fake.calls();
              return fx.forceScrape(token, taskId)
                  .compose(r -> fx.awaitIdle(vertx, token, taskId))
                  .compose(status -> fx.api.get("/ig-tracking/get_task/" + taskId, token).map(task -> {
                    ctx.verify(() -> {
                      assertEquals("failed", status.getString("status"));
                      JsonObject last = status.getJsonObject("latest_event");
                      assertEquals("scrape_failed", last.getString("event_type"));
                      assertTrue(last.getString("message").toLowerCase().contains(words), last.getString("message"));
                      assertEquals(1, fx.fake.calls() - before, "no retry on 401/402/not found");
                      JsonObject t = response(task);
                      assertEquals(goodData, t.getJsonObject("target_profile_data"), "previous data intact");
                      assertTrue(t.getJsonObject("last_error").getString("message").toLowerCase().contains(words));
                      assertTrue(t.getLong("next_scrape_due") > t.getLong("last_scraped"), "retried later");
                    });
                    return null;
                  }));
            });
          }
          return chain;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("reel flow inside a project: URL variants, force_scrape_reel, reel_data with sentiment_analysis, mod_count and cascade")
  void reelFlow(Vertx vertx, VertxTestContext ctx) {
    JsonObject project = new JsonObject().put("project_name", "Summer 🌞");
    fx.api.post("/project/create-project", token, project)
        .compose(p -> Future.all(
            fx.api.post("/ig-tracking/create_reel_task", token, project.copy().put("reel_url", "https://www.instagram.com/reel/ReelOne1/?igsh=abc")),
            fx.api.post("/ig-tracking/create_reel_task", token, project.copy().put("reel_url", "instagram.com/p/PostTwo2")),
            fx.api.post("/ig-tracking/create_reel_task", token, new JsonObject().put("project_name", "Summer 🌞").put("reel_url", "https://www.instagram.com/reels/ReelOne1/").put("scrape_interval_days", 0)),
            fx.api.post("/ig-tracking/create_reel_task", token, project.copy().put("reel_url", "https://example.com/reel/x")),
            fx.api.post("/ig-tracking/create_reel_task", token, new JsonObject().put("project_name", "nope").put("reel_url", "https://www.instagram.com/reel/Z1/"))))
        .compose(created -> {
          HttpResponse<Buffer> first = created.resultAt(0);
          ctx.verify(() -> {
            assertEquals(200, first.statusCode(), first.bodyAsString());
            assertEquals("ReelOne1", response(first).getString("reel_id"));
            assertEquals(200, ((HttpResponse<?>) created.resultAt(1)).statusCode());
            assertEquals(400, ((HttpResponse<?>) created.resultAt(2)).statusCode(), "interval 0 is refused");
            assertEquals(400, ((HttpResponse<?>) created.resultAt(3)).statusCode());
            assertEquals(400, ((HttpResponse<?>) created.resultAt(4)).statusCode());
          });
          String taskId = response(first).getString("task_id");
          return fx.api.post("/ig-tracking/create_reel_task", token, project.copy().put("reel_url", "https://www.instagram.com/reels/ReelOne1/"))
              .compose(duplicate -> {
                ctx.verify(() -> assertEquals(409, duplicate.statusCode(), "the same reel twice in a project"));
                return fx.api.post("/ig-tracking/force_scrape_reel/" + taskId, token, null);
              }).compose(forced -> {
            ctx.verify(() -> assertEquals("Reel tracking task scraping initiated successfully", forced.bodyAsJsonObject().getString("message")));
            return fx.awaitIdle(vertx, token, taskId);
          }).compose(status -> Future.all(
              fx.api.get("/ig-tracking/get_reel_tracking_task/" + taskId, token),
              fx.api.post("/ig-tracking/get_project_reel_tasks", token, project),
              fx.api.post("/project/get-project-data", token, project),
              fx.api.get("/ig-tracking/reel_tracking_task_status/" + taskId, token),
              fx.api.get("/ig-tracking/sentiment_summary/" + taskId, token)))
              .map(all -> {
                ctx.verify(() -> {
                  JsonObject task = response(all.resultAt(0)).getJsonObject("task");
                  JsonObject reel = task.getJsonObject("reel_data");
                  assertNotNull(reel, task.encode());
                  JsonObject analysis = reel.getJsonObject("sentiment_analysis");
                  JsonObject summary = response(all.resultAt(4)).getJsonObject("sentiment_summary");
                  assertEquals(summary.getJsonObject("sentiment_distribution").getLong("positive"), analysis.getLong("positive"));
                  assertEquals(summary.getString("overall_sentiment"), analysis.getString("overall_sentiment"));
                  assertEquals(10, reel.getJsonArray("top_comments").size());
                  assertEquals(2, response(all.resultAt(1)).getInteger("total_tasks"));
                  JsonObject data = response(all.resultAt(2)).getJsonObject("project_data");
                  assertEquals(2, data.getJsonArray("reel_tracking_tasks").size());
                  assertEquals(2L, data.getLong("mod_count"), "one per reel task created");
                  assertFalse(response(all.resultAt(3)).getBoolean("is_processing"));
                });
                return taskId;
              });
        })
        .compose(taskId -> fx.api.call(HttpMethod.DELETE, "/ig-tracking/delete_reel_task/" + taskId, token, null)
            .compose(deleted -> fx.api.post("/project/get-project-mod-count", token, project))
            .compose(count -> {
              ctx.verify(() -> assertEquals(3L, response(count).getLong("mod_count")));
              return fx.api.post("/project/delete-project", token, project);
            })
            .compose(deleted -> fx.app.services().mongo.count("reel_tasks", new JsonObject()))
            .compose(reels -> fx.app.services().mongo.count("task_history", new JsonObject()).map(history -> {
              ctx.verify(() -> {
                assertEquals(0L, reels);
                assertEquals(0L, history, "deleting the project deletes its reel tasks and their history");
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("hostile tracking inputs get clear 4xx answers and other users' tasks are 404 like unknown ids")
  void hostileInputs(Vertx vertx, VertxTestContext ctx) {
    fx.createProfileTask(token, "owned").compose(taskId -> fx.api.signup("other@example.com", "test-password-1").compose(other -> {
      List<Future<HttpResponse<Buffer>>> calls = List.of(
          fx.api.post("/ig-tracking/create_task", token, new JsonObject()),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "has space")),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "a".repeat(31))),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", new JsonObject().put("$ne", 1))),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "ok_name").put("scrape_interval_days", 0)),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "ok_name").put("scrape_interval_days", -1)),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "ok_name").put("scrape_interval_days", "soon")),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "ok_name").put("scrape_interval_days", 100_000)),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "ok_name").put("is_competitor", "maybe")),
          fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "OWNED")),
          fx.api.call(HttpMethod.PUT, "/ig-tracking/update_task/" + taskId, token, new JsonObject().put("status", "deleted")),
          fx.api.call(HttpMethod.PUT, "/ig-tracking/update_task/" + taskId, token, new JsonObject()),
          fx.api.get("/ig-tracking/task_status/" + taskId + "?logs_count=abc", token),
          fx.api.get("/ig-tracking/task_status/" + taskId + "?logs_count=101", token),
          fx.api.get("/ig-tracking/task_status/" + taskId + "?logs_count=-1", token),
          fx.api.get("/ig-tracking/get_task/" + taskId, other),
          fx.forceScrape(other, taskId),
          fx.api.call(HttpMethod.DELETE, "/ig-tracking/delete_task/" + taskId, other, null),
          fx.api.get("/ig-tracking/task_status/" + taskId, other),
          fx.api.get("/ig-tracking/get_task/no-such-task", token),
          fx.api.get("/ig-tracking/get_task/%24ne", token),
          fx.api.get("/ig-tracking/sentiment_summary/" + taskId, other));
      return Future.all(calls).map(all -> {
        ctx.verify(() -> {
          int[] expected = {400, 400, 400, 400, 400, 400, 400, 400, 400, 409, 400, 400, 400, 400, 400, 404, 404, 404, 404, 404, 404, 404};
          for (int i = 0; i < expected.length; i++) {
            HttpResponse<Buffer> r = all.resultAt(i);
            assertEquals(expected[i], r.statusCode(), i + ": " + r.bodyAsString());
            assertEquals(false, r.bodyAsJsonObject().getBoolean("result"));
          }
          HttpResponse<Buffer> missing = all.resultAt(0);
          assertEquals("Missing required field: target_profile", missing.bodyAsJsonObject().getString("message"));
          for (int i = 15; i < expected.length; i++) {
            assertEquals("Task not found or access denied", ((HttpResponse<Buffer>) all.resultAt(i)).bodyAsJsonObject().getString("message"));
          }
        });
        return null;
      });
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("update_task and update_scrape_interval: both names, fractions allowed, next_scrape_due recomputed, paused tasks listed")
  void updates(Vertx vertx, VertxTestContext ctx) {
    fx.createProfileTask(token, "settings").compose(taskId -> fx.api.call(HttpMethod.PUT,
            "/ig-tracking/update_profile_tracking_task/" + taskId, token, new JsonObject().put("is_competitor", true).put("status", "paused"))
        .compose(updated -> {
          ctx.verify(() -> assertEquals(200, updated.statusCode(), updated.bodyAsString()));
          return fx.api.post("/ig-tracking/update_scrape_interval/" + taskId, token, new JsonObject().put("scrape_interval_days", 0.5));
        })
        .compose(interval -> {
          ctx.verify(() -> {
            assertEquals(200, interval.statusCode(), interval.bodyAsString());
            assertEquals(0.5, response(interval).getDouble("scrape_interval_days"));
          });
          return fx.api.get("/ig-tracking/get_profile_tracking_tasks", token);
        })
        .map(list -> {
          ctx.verify(() -> {
            JsonObject task = response(list).getJsonArray("tasks").getJsonObject(0);
            assertEquals("paused", task.getString("status"));
            assertTrue(task.getBoolean("is_competitor"));
            assertEquals(0.5, task.getDouble("scrape_interval_days"));
            assertEquals(task.getLong("created_at") + 43_200, task.getLong("next_scrape_due"), 2);
            assertEquals(task.getString("_id"), task.getString("task_id"));
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject byId(JsonArray tasks, String id) {
    return tasks.stream().map(t -> (JsonObject) t).filter(t -> id.equals(t.getString("task_id"))).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("get_tasks is cached yet reflects every change at once: create, update, scrape, delete")
  void taskListStaysFresh(Vertx vertx, VertxTestContext ctx) {
    java.util.function.Supplier<Future<JsonArray>> list = () -> fx.api.get("/ig-tracking/get_tasks", token)
        .map(r -> response(r).getJsonArray("tasks"));
    fx.createProfileTask(token, "fresh_one")
        .compose(first -> list.get().compose(one -> {
          ctx.verify(() -> assertEquals(1, one.size()));
          return fx.createProfileTask(token, "fresh_two");
        }).compose(second -> list.get().compose(two -> {
          ctx.verify(() -> assertEquals(2, two.size()));
          return fx.api.call(HttpMethod.PUT, "/ig-tracking/update_task/" + first, token, new JsonObject().put("status", "paused"));
        })).compose(updated -> list.get().compose(afterUpdate -> {
          ctx.verify(() -> assertEquals("paused", byId(afterUpdate, first).getString("status")));
          return fx.forceScrape(token, first).compose(r -> fx.awaitIdle(vertx, token, first));
        })).compose(done -> list.get().compose(afterScrape -> {
          ctx.verify(() -> assertNotNull(byId(afterScrape, first).getLong("last_scraped"), "the scrape's result is listed at once"));
          return fx.api.call(HttpMethod.DELETE, "/ig-tracking/delete_task/" + first, token, null);
        })).compose(deleted -> list.get()))
        .onComplete(ctx.succeeding(last -> ctx.verify(() -> {
          assertEquals(1, last.size());
          assertEquals("fresh_two", last.getJsonObject(0).getString("target_profile"));
          ctx.completeNow();
        })));
  }
}
