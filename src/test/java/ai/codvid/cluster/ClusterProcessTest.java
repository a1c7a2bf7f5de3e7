package ai.codvid.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.config.AppConfig;
import ai.codvid.fakes.FakeApify;
import ai.codvid.support.ApiClient;
import ai.codvid.support.ClusterNodes;
import ai.codvid.support.NodeProcesses;
import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 4, timeUnit = TimeUnit.MINUTES)
@DisplayName("Clustered nodes in separate JVMs")
class ClusterProcessTest {

  private final NodeProcesses processes = new NodeProcesses();
  private CodvidApp storeNode;
  private FakeApify fake;

  @AfterEach
  void stop(VertxTestContext ctx) {
    processes.close();
    Future<Void> closed = storeNode == null ? Future.succeededFuture() : storeNode.close();
    closed.compose(v -> fake == null ? Future.<Void>succeededFuture() : fake.close()).onComplete(ctx.succeedingThenComplete());
  }

  private Process node(ClusterNodes cluster, int port, Map<String, String> env) throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of(
        "CODVID_APIFY_BASE_URL", fake.baseUrl(),
        "CODVID_APIFY_TOKEN", FakeApify.TOKEN,
        "CODVID_TRACKING_LEASE_SECONDS", "3",
        "CODVID_TRACKING_SCHEDULER_INTERVAL_SECONDS", "0.5"));
    settings.putAll(env);
    return processes.start(cluster, port, settings);
  }

  @Test
  @DisplayName("kill -9 of the node running a scrape: the task is not stuck, another node scrapes it once the lease expires, and its previous data is intact")
  void killedNodeRunIsRetaken(Vertx vertx, VertxTestContext ctx) throws Exception {
    ClusterNodes cluster = new ClusterNodes();
    int portA = ClusterNodes.freePort();
    int portB = ClusterNodes.freePort();
    fake = FakeApify.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    JsonObject storeConfig = cluster.config(0)
        .put("apify", new JsonObject().put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN))
        .put("tracking", new JsonObject().put("scheduler_enabled", false).put("lease_seconds", 3))
        .put("scraper", new JsonObject().put("instances", 0));
    Process[] nodeA = new Process[1];
    CodvidApp.start(AppConfig.of(storeConfig))
        .compose(app -> {
          storeNode = app;
          return vertx.executeBlocking(() -> nodeA[0] = node(cluster, portA, Map.of(
              "CODVID_SCRAPER_INSTANCES", "1", "CODVID_TRACKING_SCHEDULER_ENABLED", "false")));
        })
        .compose(p -> NodeProcesses.ready(vertx, portA))
        .compose(v -> {
          ApiClient api = new ApiClient(vertx, storeNode.httpPort());
          return api.signup("kill@example.com", "test-password-1").compose(token -> api.post("/ig-tracking/create_task", token,
                  new JsonObject().put("target_profile", "survivor"))
              .map(r -> r.bodyAsJsonObject().getJsonObject("response").getString("task_id"))
              .compose(taskId -> api.post("/ig-tracking/force_scrape/" + taskId, token, null)
                  .compose(r -> Polling.until(vertx, 100, 30_000, () -> api.get("/ig-tracking/get_task/" + taskId, token)
                      .map(t -> t.bodyAsJsonObject().getJsonObject("response").getValue("last_scraped") != null
                          ? t.bodyAsJsonObject().getJsonObject("response") : null)))
                  .compose(good -> Polling.until(vertx, 100, 10_000, () -> api.get("/ig-tracking/task_status/" + taskId, token)
                          .map(s -> s.bodyAsJsonObject().getJsonObject("response").getBoolean("is_processing") ? null : Boolean.TRUE))
                      .compose(idle -> {
                        fake.delayNext(1, 120_000);
                        return api.post("/ig-tracking/force_scrape/" + taskId, token, null);
                      })
                      .compose(r -> Polling.until(vertx, 50, 10_000, () -> Future.succeededFuture(fake.inFlight() > 0 ? Boolean.TRUE : null)))
                      .compose(inFlight -> vertx.executeBlocking(() -> {
                        nodeA[0].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                        return System.currentTimeMillis();
                      }))
                      .compose(killedAt -> Future.all(api.get("/ig-tracking/task_status/" + taskId, token),
                              api.get("/ig-tracking/get_task/" + taskId, token))
                          .compose(all -> {
                            ctx.verify(() -> {
                              JsonObject status = ((io.vertx.ext.web.client.HttpResponse<?>) all.resultAt(0)).bodyAsJsonObject().getJsonObject("response");
                              assertTrue(status.getBoolean("is_processing"), "the dead node's lease has not expired yet");
                              JsonObject task = ((io.vertx.ext.web.client.HttpResponse<?>) all.resultAt(1)).bodyAsJsonObject().getJsonObject("response");
                              assertEquals(good.getJsonObject("target_profile_data"), task.getJsonObject("target_profile_data"),
                                  "previous data intact while the run is in limbo");
                            });
                            return vertx.executeBlocking(() -> node(cluster, portB, Map.of("CODVID_SCRAPER_INSTANCES", "1",
                                "CODVID_TRACKING_SCHEDULER_ENABLED", "true")));
                          })
                          .compose(p -> NodeProcesses.ready(vertx, portB))
                          .compose(v2 -> Polling.until(vertx, 200, 60_000, () -> api.get("/ig-tracking/get_task/" + taskId, token)
                              .map(t -> {
                                JsonObject task = t.bodyAsJsonObject().getJsonObject("response");
                                return task.getLong("last_scraped") > good.getLong("last_scraped") ? task : null;
                              })))
                          .compose(task -> api.get("/ig-tracking/get_task_history/" + taskId, token)
                              .map(h -> {
                                ctx.verify(() -> assertEquals(2, h.bodyAsJsonObject().getJsonObject("response").getInteger("count")));
                                return h;
                              })
                              .compose(h -> Polling.until(vertx, 100, 10_000, () -> api.get("/ig-tracking/task_status/" + taskId + "?logs_count=100", token)
                                  .map(st -> st.bodyAsJsonObject().getJsonObject("response").getBoolean("is_processing") ? null : st)))
                              .map(status -> {
                                JsonObject s = status.bodyAsJsonObject().getJsonObject("response");
                                ctx.verify(() -> {
                                  assertEquals("completed", s.getString("status"));
                                  assertEquals("scheduled", s.getString("trigger"), "retaken by the scheduler of the surviving node");
                                  assertNotEquals(null, task.getJsonObject("target_profile_data"));
                                  assertTrue(System.currentTimeMillis() - killedAt >= 3_000, "not before the lease expired");
                                });
                                return null;
                              }))))))
              .onComplete(x -> api.close());
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
