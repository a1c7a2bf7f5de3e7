package ai.codvid.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeApify;
import ai.codvid.store.Collections;
import ai.codvid.support.ApiClient;
import ai.codvid.support.ClusterNodes;
import ai.codvid.support.LiveClients;
import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
@DisplayName("Three clustered nodes on loopback (Hazelcast, one JVM)")
class ClusterTest {

  private static final List<String> RUN_EVENTS = List.of("scrape_started", "account_fetched", "reels_filtered",
      "processing_reels", "reels_processed", "profile_data_updated", "scrape_completed");

  private FakeApify fake;
  private ClusterNodes cluster;

  @BeforeEach
  void fake(Vertx vertx, VertxTestContext ctx) {
    cluster = new ClusterNodes();
    FakeApify.start(vertx).onComplete(ctx.succeeding(f -> {
      fake = f;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    cluster.close().compose(v -> fake.close()).onComplete(ctx.succeedingThenComplete());
  }

  private JsonObject withFake(JsonObject config) {
    return config.put("apify", new JsonObject().put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN)
        .put("initial_backoff_ms", 20).put("max_backoff_ms", 200));
  }

  private static JsonObject tracking(JsonObject config, boolean scheduler, int scrapers) {
    return config.put("tracking", new JsonObject().put("scheduler_enabled", scheduler).put("scheduler_interval_seconds", 0.3)
            .put("lease_seconds", 3))
        .put("scraper", new JsonObject().put("instances", scrapers));
  }

  private static JsonObject response(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("response");
  }

  @Test
  @DisplayName("force_scrape on A, status on C shows the same run; force_scrape on B → 409; a token from A works on C")
  void registryIsClusterWide(Vertx vertx, VertxTestContext ctx) {
    fake.delay(1_500);
    cluster.start(3, c -> tracking(withFake(c), false, 2)).compose(nodes -> {
      ApiClient a = new ApiClient(vertx, nodes.get(0).httpPort());
      ApiClient b = new ApiClient(vertx, nodes.get(1).httpPort());
      ApiClient c = new ApiClient(vertx, nodes.get(2).httpPort());
      return a.signup("cluster@example.com", "test-password-1").compose(token -> c.post("/ig-tracking/create_task", token,
              new JsonObject().put("target_profile", "shared_brand"))
          .compose(created -> {
            String taskId = response(created).getString("task_id");
            return a.post("/ig-tracking/force_scrape/" + taskId, token, null).compose(forced -> Future.all(
                    c.get("/ig-tracking/task_status/" + taskId, token),
                    b.post("/ig-tracking/force_scrape/" + taskId, token, null))
                .map(all -> {
                  ctx.verify(() -> {
                    assertEquals(200, forced.statusCode(), forced.bodyAsString());
                    JsonObject status = response(all.resultAt(0));
                    assertTrue(status.getBoolean("is_processing"));
                    assertEquals(forced.bodyAsJsonObject().getString("run_id"), status.getString("run_id"));
                    HttpResponse<Buffer> second = all.resultAt(1);
                    assertEquals(409, second.statusCode());
                    assertEquals("Task is already being processed", second.bodyAsJsonObject().getString("message"));
                  });
                  return taskId;
                }));
          })
          .compose(taskId -> b.get("/ig-tracking/get_tasks", token)
              .compose(cachedOnB -> Polling.until(vertx, 100, 30_000, () -> b.get("/ig-tracking/task_status/" + taskId, token)
                  .map(r -> response(r).getBoolean("is_processing") ? null : response(r))))
              .compose(status -> b.get("/ig-tracking/get_tasks", token).map(listOnB -> {
                ctx.verify(() -> assertNotNull(response(listOnB).getJsonArray("tasks").getJsonObject(0).getLong("last_scraped"),
                    "B's cached task list was dropped when the scrape stored its result"));
                return status;
              }))))
          .onComplete(x -> {
            a.close();
            b.close();
            c.close();
          });
    }).onComplete(ctx.succeeding(status -> ctx.verify(() -> {
      assertEquals("completed", status.getString("status"));
      assertEquals(1, fake.calls(FakeApify.PROFILE_ACTOR));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a WebSocket on B and an SSE stream on C receive every event of a scrape running on A, in order, ending with scrape_completed")
  void liveProgressAcrossNodes(Vertx vertx, VertxTestContext ctx) {
    cluster.start(3, (i, c) -> tracking(withFake(c), false, i == 0 ? 2 : 0)).compose(nodes -> {
      ApiClient a = new ApiClient(vertx, nodes.get(0).httpPort());
      return a.signup("live@example.com", "test-password-1").compose(token -> a.post("/ig-tracking/create_task", token,
          new JsonObject().put("target_profile", "live_brand")).compose(created -> {
            String taskId = response(created).getString("task_id");
            return Future.all(
                    LiveClients.webSocket(vertx, nodes.get(1).httpPort(), "/codvid-ai/ig-tracking/ws/task_status/" + taskId, token),
                    LiveClients.eventStream(vertx, nodes.get(2).httpPort(), "/codvid-ai/ig-tracking/events/" + taskId + "?token=" + token, null))
                .compose(live -> Polling.until(vertx, 20, 10_000, () -> {
                      LiveClients.Socket ws = live.resultAt(0);
                      LiveClients.Stream sse = live.resultAt(1);
                      return Future.succeededFuture(!ws.messages().isEmpty() && !sse.events().isEmpty() ? live : null);
                    }))
                .compose(live -> a.post("/ig-tracking/force_scrape/" + taskId, token, null)
                    .compose(forced -> {
                      LiveClients.Socket ws = live.resultAt(0);
                      LiveClients.Stream sse = live.resultAt(1);
                      return Future.all(ws.closed(), sse.ended()).map(v -> new JsonObject()
                          .put("ws", new JsonArray(new ArrayList<>(ws.messages())))
                          .put("ws_close", ws.closed().result())
                          .put("sse", new JsonArray(new ArrayList<>(sse.events()))));
                    }));
          })).onComplete(x -> a.close());
    }).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      JsonArray ws = result.getJsonArray("ws");
      assertEquals("status", ws.getJsonObject(0).getString("type"));
      List<String> wsEvents = new ArrayList<>();
      for (int i = 1; i < ws.size() - 1; i++) {
        assertEquals("event", ws.getJsonObject(i).getString("type"));
        wsEvents.add(ws.getJsonObject(i).getString("event_type"));
      }
      assertEquals(RUN_EVENTS, wsEvents);
      assertEquals("end", ws.getJsonObject(ws.size() - 1).getString("type"));
      assertEquals("completed", ws.getJsonObject(ws.size() - 1).getString("status"));
      assertEquals((short) 1000, result.getValue("ws_close") instanceof Number n ? n.shortValue() : -1);
      JsonArray sse = result.getJsonArray("sse");
      assertEquals("status", sse.getJsonObject(0).getString("event"));
      List<String> sseEvents = new ArrayList<>();
      sse.stream().map(e -> (JsonObject) e).filter(e -> "event".equals(e.getString("event")))
          .forEach(e -> sseEvents.add(e.getJsonObject("data").getString("event_type")));
      assertEquals(RUN_EVENTS, sseEvents);
      assertEquals("end", sse.getJsonObject(sse.size() - 1).getString("event"));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("the multiplexed socket follows several tasks; another user's task and bad messages get errors; the owner check holds before any upgrade")
  void multiplexedSocket(Vertx vertx, VertxTestContext ctx) {
    cluster.start(2, (i, c) -> tracking(withFake(c), false, i == 0 ? 2 : 0)).compose(nodes -> {
      ApiClient a = new ApiClient(vertx, nodes.get(0).httpPort());
      int portB = nodes.get(1).httpPort();
      return a.signup("multi@example.com", "test-password-1").compose(token -> a.signup("stranger@example.com", "test-password-1").compose(stranger ->
          Future.all(a.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "one")),
                  a.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "two")))
              .compose(created -> {
                String one = response(created.resultAt(0)).getString("task_id");
                String two = response(created.resultAt(1)).getString("task_id");
                return LiveClients.webSocket(vertx, portB, "/codvid-ai/ws", token).compose(socket -> {
                  socket.ws().writeTextMessage(new JsonObject().put("action", "subscribe").put("task_id", one).encode());
                  socket.ws().writeTextMessage(new JsonObject().put("action", "subscribe").put("task_id", two).encode());
                  socket.ws().writeTextMessage("not json");
                  return Polling.until(vertx, 20, 10_000, () -> Future.succeededFuture(
                          socket.messages().stream().filter(m -> "status".equals(m.getString("type"))).count() == 2 ? socket : null))
                      .compose(s -> Future.all(a.post("/ig-tracking/force_scrape/" + one, token, null),
                          a.post("/ig-tracking/force_scrape/" + two, token, null)))
                      .compose(v -> Polling.until(vertx, 20, 20_000, () -> Future.succeededFuture(
                          socket.messages().stream().filter(m -> "end".equals(m.getString("type"))).count() == 2 ? socket : null)))
                      .compose(s -> LiveClients.webSocket(vertx, portB, "/codvid-ai/ig-tracking/ws/task_status/" + one, stranger)
                          .map(unexpected -> "upgraded")
                          .recover(refused -> Future.succeededFuture(refused.getMessage())))
                      .map(refusal -> {
                        ctx.verify(() -> {
                          assertTrue(socket.messages().stream().anyMatch(m -> "error".equals(m.getString("type"))), "bad message answered");
                          assertTrue(refusal.contains("404"), refusal);
                          assertTrue(!socket.ws().isClosed(), "the multiplexed socket keeps listening after runs end");
                        });
                        socket.ws().close();
                        return null;
                      });
                });
              }))).onComplete(x -> a.close());
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("300 due tasks with three nodes ticking: each scraped exactly once")
  void dueTasksScrapedOnce(Vertx vertx, VertxTestContext ctx) {
    int count = 300;
    cluster.start(3, c -> tracking(withFake(c), true, 2)).compose(nodes -> {
      CodvidApp first = nodes.get(0);
      long future = System.currentTimeMillis() / 1000 + 3_600;
      List<BulkOperation> inserts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String id = UUID.randomUUID().toString();
        inserts.add(BulkOperation.createInsert(new JsonObject().put("_id", id).put("task_id", id).put("user_id", "bulk-user")
            .put("target_profile", "due_" + i).put("is_competitor", false).put("status", "active")
            .put("created_at", future - 3_600).put("last_scraped", null).put("next_scrape_due", future)
            .put("scrape_interval_days", 2).put("consecutive_failures", 0).put("lease_until_ms", null)));
      }
      return first.services().mongo.bulkWrite(Collections.PROFILE_TASKS, inserts)
          .compose(v -> {
            long start = System.currentTimeMillis();
            return first.services().mongo.updateCollectionWithOptions(Collections.PROFILE_TASKS, new JsonObject(),
                    new JsonObject().put("$set", new JsonObject().put("next_scrape_due", start / 1000)), new UpdateOptions().setMulti(true))
                .compose(u -> Polling.until(vertx, 200, 120_000, () -> first.services().mongo.count(Collections.PROFILE_TASKS,
                        new JsonObject().put("last_scraped", new JsonObject().put("$ne", null)))
                    .map(n -> n == count ? System.currentTimeMillis() - start : null)));
          })
          .compose(millis -> vertx.timer(2_000).map(millis))
          .compose(millis -> first.services().mongo.count(Collections.TASK_HISTORY, new JsonObject()).map(history -> {
            System.out.printf("%d due tasks scraped by 3 nodes in %.1f s%n", count, millis / 1000.0);
            ctx.verify(() -> {
              assertEquals(count, fake.calls(FakeApify.PROFILE_ACTOR), "one profile fetch per task");
              assertEquals((long) count, history, "one history snapshot per task");
              JsonObject nodesUsed = new JsonObject();
              fake.requests().forEach(r -> nodesUsed.put(r.getString("actor"), true));
              assertNotNull(nodesUsed.getValue(FakeApify.PROFILE_ACTOR));
            });
            return null;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("failed logins counted on node A throttle the same client on node B; deleting an account on A closes its socket on B")
  void securityStateIsClusterWide(Vertx vertx, VertxTestContext ctx) {
    cluster.start(2, (i, c) -> tracking(withFake(c), false, 0)).compose(nodes -> {
      ApiClient a = new ApiClient(vertx, nodes.get(0).httpPort());
      ApiClient b = new ApiClient(vertx, nodes.get(1).httpPort());
      JsonObject wrong = new JsonObject().put("email", "guarded@example.com").put("password", "not-the-password");
      return a.signup("guarded@example.com", "test-password-1").compose(token -> {
        Future<List<Integer>> onA = Future.succeededFuture(new ArrayList<>());
        for (int i = 0; i < 5; i++) {
          onA = onA.compose(codes -> a.post("/auth/login", null, wrong).map(r -> {
            codes.add(r.statusCode());
            return codes;
          }));
        }
        return onA.compose(codes -> b.post("/auth/login", null, wrong).compose(onB -> {
              ctx.verify(() -> {
                assertEquals(List.of(400, 400, 400, 400, 400), codes);
                assertEquals(429, onB.statusCode(), onB.bodyAsString());
                assertNotNull(onB.getHeader("Retry-After"));
              });
              return LiveClients.webSocket(vertx, nodes.get(1).httpPort(), "/codvid-ai/ws", token);
            }))
            .compose(socket -> Polling.until(vertx, 20, 5_000, () -> Future.succeededFuture(socket.messages().isEmpty() ? null : socket))
                .compose(ready -> a.call(HttpMethod.DELETE, "/user/delete-account", token, null))
                .compose(deleted -> socket.closed().timeout(10, TimeUnit.SECONDS)))
            .map(code -> {
              ctx.verify(() -> assertEquals((short) 1008, (short) code));
              return null;
            })
            .onComplete(x -> {
              a.close();
              b.close();
            });
      });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
