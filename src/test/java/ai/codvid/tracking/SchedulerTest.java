package ai.codvid.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.fakes.FakeApify;
import ai.codvid.support.Polling;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Scheduled scraping, leases and crashed runs")
class SchedulerTest {

  private TrackingFixture fx;

  @AfterEach
  void stop(VertxTestContext ctx) {
    (fx == null ? Future.<Void>succeededFuture() : fx.close()).onComplete(ctx.succeedingThenComplete());
  }

  private Future<String> startWithScheduler(Vertx vertx) {
    return TrackingFixture.start(vertx, c -> {
      c.getJsonObject("tracking").put("scheduler_enabled", true);
      return c;
    }).compose(f -> {
      fx = f;
      return fx.api.signup("sched@example.com", "test-password-1");
    });
  }

  private Future<JsonObject> task(String token, String taskId) {
    return fx.api.get("/ig-tracking/get_task/" + taskId, token).map(r -> r.bodyAsJsonObject().getJsonObject("response"));
  }

  @Test
  @DisplayName("due active tasks are scraped by the scheduler once; a paused task is never scraped")
  void scrapesDueTasksOnce(Vertx vertx, VertxTestContext ctx) {
    long[] pausedAt = new long[1];
    startWithScheduler(vertx).compose(token -> fx.createProfileTask(token, "paused_one")
        .compose(paused -> fx.api.call(HttpMethod.PUT, "/ig-tracking/update_task/" + paused, token, new JsonObject().put("status", "paused"))
            .map(r -> pausedAt[0] = System.currentTimeMillis())
            .compose(r -> fx.createProfileTask(token, "due_one"))
            .compose(due -> Polling.until(vertx, 100, 15_000, () -> task(token, due)
                .map(t -> t.getValue("last_scraped") != null ? t : null)))
            .compose(scraped -> {
              // a few more ticks: the task is not due again, nothing more is scraped
              return vertx.timer(1_500).map(v -> {
                ctx.verify(() -> {
                  // paused_one is due from its creation until the pause lands, so a tick may take it
                  // in between; after the pause it must never be fetched again
                  assertEquals(1, profileFetches("due_one").size(), "one scheduled scrape of the due task");
                  assertTrue(profileFetches("paused_one").stream().allMatch(at -> at <= pausedAt[0]),
                      "a paused task is never scraped after the pause: " + profileFetches("paused_one") + " vs " + pausedAt[0]);
                  assertEquals(null, scraped.getValue("last_error"));
                });
                return null;
              });
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** When the fake Apify received a profile fetch of this user name (epoch ms), in order. */
  private List<Long> profileFetches(String username) {
    return fx.fake.requests().stream()
        .filter(r -> FakeApify.PROFILE_ACTOR.equals(r.getString("actor")))
        .filter(r -> r.getJsonObject("input", new JsonObject()).getJsonArray("usernames", new JsonArray()).contains(username))
        .map(r -> r.getLong("at_ms"))
        .toList();
  }

  @Test
  @DisplayName("a force_scrape racing the scheduler for a due task makes one run")
  void forceRacingScheduler(Vertx vertx, VertxTestContext ctx) {
    startWithScheduler(vertx).compose(token -> {
      fx.fake.delay(200);
      return fx.createProfileTask(token, "contested")
          .compose(taskId -> fx.forceScrape(token, taskId)
              .compose(r -> {
                ctx.verify(() -> assertTrue(r.statusCode() == 200 || r.statusCode() == 409, r.bodyAsString()));
                return fx.awaitIdle(vertx, token, taskId);
              })
              .compose(s -> vertx.timer(1_500))
              .compose(v -> fx.api.get("/ig-tracking/get_task_history/" + taskId, token)));
    }).onComplete(ctx.succeeding(history -> ctx.verify(() -> {
      assertEquals(1, fx.fake.calls(FakeApify.PROFILE_ACTOR));
      assertEquals(1, history.bodyAsJsonObject().getJsonObject("response").getInteger("count"));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a scraper undeployed mid-run hands its run back: the scheduler scrapes the task again and the late answer stores nothing")
  void undeployedWorkerHandsBack(Vertx vertx, VertxTestContext ctx) {
    TrackingFixture.start(vertx, c -> c).compose(f -> {
      fx = f;
      return fx.api.signup("crash@example.com", "test-password-1");
    }).compose(token -> fx.createProfileTask(token, "fragile").compose(taskId -> {
      fx.fake.delayNext(1, 4_000);
      return fx.forceScrape(token, taskId)
          .compose(r -> Polling.until(vertx, 50, 5_000, () -> Future.succeededFuture(fx.fake.inFlight() > 0 ? Boolean.TRUE : null)))
          .compose(v -> fx.app.undeployScrapers())
          .compose(v -> fx.app.services().registry.live(taskId).map(live -> {
            ctx.verify(() -> assertEquals(null, live, "the claim was handed back at once"));
            return null;
          }))
          .compose(v -> vertx.deployVerticle(() -> new ScraperVerticle(fx.app.services().tracking.tasks(), fx.app.services().registry,
              fx.app.services().instagram, fx.app.services().trackingOptions, fx.app.services().metrics),
              new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
          .compose(v -> vertx.deployVerticle(new SchedulerVerticle(fx.app.services().tracking, fx.app.services().trackingOptions,
              fx.app.services().nodeId)))
          .compose(v -> Polling.until(vertx, 100, 20_000, () -> task(token, taskId)
              .map(t -> t.getValue("last_scraped") != null ? t : null)))
          .compose(t -> fx.awaitIdle(vertx, token, taskId))
          .compose(status -> vertx.timer(4_000).map(status))
          .compose(status -> fx.api.get("/ig-tracking/get_task_history/" + taskId, token).map(history -> {
            ctx.verify(() -> {
              assertEquals("completed", status.getString("status"));
              assertEquals("scheduled", status.getString("trigger"));
              assertEquals(1, history.bodyAsJsonObject().getJsonObject("response").getInteger("count"),
                  "the abandoned run's late answer stores nothing");
              assertEquals(2, fx.fake.calls(FakeApify.PROFILE_ACTOR));
            });
            return null;
          }));
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a run left behind by a node that died (claim and store lease, no worker) is retaken once its lease expires")
  void deadNodeLeaseExpires(Vertx vertx, VertxTestContext ctx) {
    startWithScheduler(vertx).compose(token -> {
      fx.fake.delay(0);
      return fx.createProfileTask(token, "orphan").compose(taskId -> {
        TrackingService tracking = fx.app.services().tracking;
        long claimedAt = System.currentTimeMillis();
        return tracking.tasks().find(TaskKind.PROFILE, tokenUser(token), taskId)
            .compose(doc -> tracking.registry().claim(taskId, TaskKind.PROFILE, doc.getString("user_id"), "manual"))
            .compose(claim -> tracking.tasks().markRunning(TaskKind.PROFILE, tokenUser(token), taskId, fx.app.services().trackingOptions.leaseMillis()))
            .compose(v -> vertx.timer(1_000))
            .compose(v -> fx.api.get("/ig-tracking/task_status/" + taskId, token).map(status -> {
              ctx.verify(() -> {
                assertTrue(status.bodyAsJsonObject().getJsonObject("response").getBoolean("is_processing"));
                assertEquals(0, fx.fake.calls(), "nobody scrapes while the dead run's lease lives");
              });
              return null;
            }))
            .compose(v -> Polling.until(vertx, 100, 15_000, () -> task(token, taskId)
                .map(t -> t.getValue("last_scraped") != null ? t : null)))
            .map(t -> {
              ctx.verify(() -> {
                assertTrue(System.currentTimeMillis() - claimedAt >= fx.app.services().trackingOptions.leaseMillis());
                assertEquals(1, fx.fake.calls(FakeApify.PROFILE_ACTOR));
              });
              return null;
            });
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static String tokenUser(String token) {
    String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
    return new JsonObject(payload).getString("sub");
  }
}
