package ai.codvid.alerts;

import static ai.codvid.alerts.AlertsFixture.NEGATIVE;
import static ai.codvid.alerts.AlertsFixture.PASSWORD;
import static ai.codvid.alerts.AlertsFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeApify;
import ai.codvid.fakes.FakeWebhookReceiver;
import ai.codvid.support.ApiClient;
import ai.codvid.support.ClusterNodes;
import ai.codvid.support.LiveClients;
import ai.codvid.support.NodeProcesses;
import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 4, unit = TimeUnit.MINUTES)
@DisplayName("Alerts in a cluster")
class AlertClusterTest {

  private Vertx vertx;
  private FakeApify fake;
  private FakeWebhookReceiver receiver;
  private ClusterNodes cluster;
  private final NodeProcesses processes = new NodeProcesses();
  private final List<ApiClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = await(FakeApify.start(vertx));
    receiver = await(FakeWebhookReceiver.start(vertx));
    cluster = new ClusterNodes();
  }

  @AfterEach
  void stop() throws Exception {
    processes.close();
    clients.forEach(ApiClient::close);
    await(cluster.close());
    await(receiver.close());
    await(fake.close());
    await(vertx.close());
  }

  private JsonObject nodeConfig(JsonObject config, int scrapers) {
    return config
        .put("apify", new JsonObject().put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN).put("max_attempts", 1))
        .put("tracking", new JsonObject().put("scheduler_enabled", false).put("lease_seconds", 5))
        .put("scraper", new JsonObject().put("instances", scrapers))
        .put("alerts", AlertsFixture.fastAlerts().put("delivery_lease_seconds", 3)
            .put("webhook_connect_timeout_ms", 500).put("webhook_timeout_ms", 1_000));
  }

  private ApiClient api(CodvidApp node) {
    ApiClient api = new ApiClient(vertx, node.httpPort());
    clients.add(api);
    return api;
  }

  private ApiClient api(int port) {
    ApiClient api = new ApiClient(vertx, port);
    clients.add(api);
    return api;
  }

  private static JsonObject response(HttpResponse<Buffer> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getJsonObject("response");
  }

  private void comments(String profile) {
    AlertsFixture.comments(fake, profile, NEGATIVE);
  }

  private JsonArray alertsUntil(ApiClient api, String token, java.util.function.Predicate<JsonArray> done) throws Exception {
    return await(Polling.until(vertx, 100, 60_000, () -> api.get("/alerts/get_alerts", token).map(r -> {
      JsonArray alerts = response(r).getJsonArray("alerts");
      return done.test(alerts) ? alerts : null;
    })));
  }

  @Test
  @DisplayName("kill -9 of the node delivering an alert: another node delivers it after the lease, with the same delivery id, and the lost attempt is recorded")
  void killedNodeDeliveryIsRetaken() throws Exception {
    await(cluster.start(1, c -> nodeConfig(c, 0)));
    ApiClient api = api(cluster.nodes.get(0));
    int port = ClusterNodes.freePort();
    Process scraperNode = processes.start(cluster, port, Map.ofEntries(
        Map.entry("CODVID_APIFY_BASE_URL", fake.baseUrl()), Map.entry("CODVID_APIFY_TOKEN", FakeApify.TOKEN),
        Map.entry("CODVID_APIFY_MAX_ATTEMPTS", "1"), Map.entry("CODVID_SCRAPER_INSTANCES", "1"),
        Map.entry("CODVID_TRACKING_SCHEDULER_ENABLED", "false"), Map.entry("CODVID_ALERTS_ALLOW_PRIVATE_WEBHOOKS", "true"),
        Map.entry("CODVID_ALERTS_DELIVERY_LEASE_SECONDS", "3"), Map.entry("CODVID_ALERTS_WEBHOOK_CONNECT_TIMEOUT_MS", "500"),
        Map.entry("CODVID_ALERTS_WEBHOOK_TIMEOUT_MS", "1000"), Map.entry("CODVID_ALERTS_DELIVERY_POLL_MS", "100")));
    await(NodeProcesses.ready(vertx, port));

    String token = await(api.signup("killed-delivery@example.com", PASSWORD));
    String task = response(await(api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "kill.brand"))))
        .getString("task_id");
    JsonObject rule = response(await(api.post("/alerts/create_rule", token, new JsonObject().put("metric", "negative_pct")
        .put("condition", "above").put("threshold", 50).put("webhook_url", receiver.url("/hooks/kill")))));
    comments("kill.brand");
    receiver.holdNext(1);
    // only the separate node has scrapers: it runs the scrape, evaluates the rule, fires and starts delivering
    response(await(api.post("/ig-tracking/force_scrape/" + task, token, null)));
    await(Polling.until(vertx, 20, 60_000, () -> Future.succeededFuture(receiver.received().size() >= 1 ? Boolean.TRUE : null)));
    await(vertx.executeBlocking(() -> scraperNode.destroyForcibly().waitFor(30, TimeUnit.SECONDS)));
    FakeWebhookReceiver.Received first = receiver.received().get(0);

    List<FakeWebhookReceiver.Received> got = await(Polling.until(vertx, 50, 60_000, () -> Future.succeededFuture(
        receiver.received().size() >= 2 ? receiver.received() : null)));
    FakeWebhookReceiver.Received second = got.get(1);
    assertEquals(first.header("X-Codvid-Delivery"), second.header("X-Codvid-Delivery"), "the same delivery id on the retaken attempt");
    assertEquals(first.body(), second.body());
    assertTrue(WebhookSenderTest.verifies(rule.getString("webhook_secret"), second.header("X-Codvid-Timestamp"), second.body(),
        second.header("X-Codvid-Signature")));
    assertTrue(second.atMillis() - first.atMillis() >= 2_500, "not before the dead node's lease expired: "
        + (second.atMillis() - first.atMillis()) + " ms");

    JsonObject alert = alertsUntil(api, token, a -> a.size() == 1
        && "delivered".equals(a.getJsonObject(0).getJsonObject("delivery").getString("status"))).getJsonObject(0);
    assertEquals(first.header("X-Codvid-Delivery"), alert.getString("alert_id"));
    JsonArray attempts = alert.getJsonObject("delivery").getJsonArray("attempts");
    assertEquals(List.of("abandoned", "delivered"), attempts.stream().map(a -> ((JsonObject) a).getString("outcome")).toList());
    Thread.sleep(500);
    assertEquals(2, receiver.received().size(), "delivered once more, not more");
  }

  @Test
  @DisplayName("two nodes: an alert evaluated on one reaches the owner's socket and stream on the other, each attempt is made by one node, and concurrent failures on both nodes fire once per cooldown")
  void twoNodes() throws Exception {
    await(cluster.start(2, (i, c) -> nodeConfig(c, i == 0 ? 2 : 0)));
    CodvidApp scraping = cluster.nodes.get(0);
    CodvidApp serving = cluster.nodes.get(1);
    ApiClient api = api(serving);
    String token = await(api.signup("two-nodes@example.com", PASSWORD));
    String task = response(await(api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "two.brand"))))
        .getString("task_id");
    response(await(api.post("/alerts/create_rule", token, new JsonObject().put("task_id", task).put("metric", "negative_pct")
        .put("condition", "above").put("threshold", 50).put("webhook_url", receiver.url("/hooks/two")))));
    String failures = response(await(api.post("/alerts/create_rule", token, new JsonObject().put("task_id", task)
        .put("metric", "scrape_failed")))).getString("rule_id");

    LiveClients.Socket socket = await(LiveClients.webSocket(vertx, serving.httpPort(), "/codvid-ai/ws", token));
    LiveClients.Stream stream = await(LiveClients.eventStream(vertx, serving.httpPort(), "/codvid-ai/alerts/events", token));
    await(Polling.until(vertx, 20, 10_000, () -> Future.succeededFuture(
        socket.messages().stream().anyMatch(m -> "ready".equals(m.getString("type")))
            && stream.events().stream().anyMatch(e -> "ready".equals(e.getString("event"))) ? Boolean.TRUE : null)));

    comments("two.brand");
    receiver.answerNext(500, 3);
    response(await(api.post("/ig-tracking/force_scrape/" + task, token, null)));
    JsonObject alert = alertsUntil(api, token, a -> a.size() == 1
        && "delivered".equals(a.getJsonObject(0).getJsonObject("delivery").getString("status"))).getJsonObject(0);
    JsonObject pushed = await(Polling.until(vertx, 20, 10_000, () -> Future.succeededFuture(
        socket.messages().stream().filter(m -> "alert".equals(m.getString("type"))).findFirst().orElse(null))));
    assertEquals(alert.getString("alert_id"), pushed.getString("alert_id"), "evaluated on the scraping node, pushed by the other");
    JsonObject streamed = await(Polling.until(vertx, 20, 10_000, () -> Future.succeededFuture(
        stream.events().stream().filter(e -> "alert".equals(e.getString("event"))).findFirst().orElse(null))));
    assertEquals(alert.getString("alert_id"), streamed.getJsonObject("data").getString("alert_id"));
    Thread.sleep(500);
    assertEquals(4, receiver.received().size(), "three failures and one success, each attempt by one node");
    assertEquals(4, alert.getJsonObject("delivery").getJsonArray("attempts").size());

    String userId = response(await(api.get("/auth/get_uuid", token))).getString("uuid");
    List<Future<List<JsonObject>>> concurrent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      CodvidApp node = i % 2 == 0 ? scraping : serving;
      JsonObject failed = new JsonObject().put("task_id", task).put("user_id", userId).put("kind", "profile")
          .put("run_id", "run-" + i).put("error", "Instagram profile 'two.brand' not found or private").put("consecutive_failures", 1);
      io.vertx.core.Promise<List<JsonObject>> evaluated = io.vertx.core.Promise.promise();
      node.vertx().runOnContext(v -> node.services().alerts.scrapeFailed(failed).onComplete(evaluated));
      concurrent.add(evaluated.future());
    }
    await(Future.all(concurrent));
    long fired = concurrent.stream().mapToLong(f -> f.result().size()).sum();
    assertEquals(1, fired, "ten failures evaluated on two nodes at once fire one alert in the cooldown");
    JsonArray all = alertsUntil(api, token, a -> a.size() == 2);
    assertNotNull(all.stream().map(JsonObject.class::cast).filter(a -> failures.equals(a.getString("rule_id"))).findFirst().orElse(null));
    socket.ws().close();
  }
}
