package ai.codvid.alerts;

import static ai.codvid.alerts.AlertsFixture.NEGATIVE;
import static ai.codvid.alerts.AlertsFixture.POSITIVE;
import static ai.codvid.alerts.AlertsFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.fakes.FakeWebhookReceiver;
import ai.codvid.store.Collections;
import ai.codvid.support.LiveClients;
import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Alerts fired after scrapes and delivered to a real receiver on loopback")
class AlertDeliveryTest {

  private final AtomicInteger users = new AtomicInteger();
  private AlertsFixture f;

  @BeforeAll
  void start() throws Exception {
    f = AlertsFixture.start(AlertsFixture.fastAlerts());
  }

  @AfterAll
  void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void freshReceiver() {
    f.receiver.reset();
  }

  private String user() throws Exception {
    return f.signup("delivery-" + users.incrementAndGet() + "@example.com");
  }

  private List<FakeWebhookReceiver.Received> at(String path) {
    return f.receiver.received().stream().filter(r -> r.path().equals(path)).toList();
  }

  private List<FakeWebhookReceiver.Received> atLeast(String path, int count) throws Exception {
    return await(Polling.until(f.vertx, 20, 20_000, () -> Future.succeededFuture(at(path).size() >= count ? at(path) : null)));
  }

  private static List<JsonObject> ofRule(JsonArray alerts, String ruleId) {
    return alerts.stream().map(JsonObject.class::cast).filter(a -> ruleId.equals(a.getString("rule_id"))).toList();
  }

  private static JsonObject rule(String metric, String condition, double threshold) {
    return new JsonObject().put("metric", metric).put("condition", condition).put("threshold", threshold);
  }

  @Test
  @DisplayName("a sentiment swing fires exactly one alert per cooldown, signed so that the documented recipe verifies it")
  void sentimentSwing() throws Exception {
    String token = user();
    String profile = "swing.brand";
    String task = f.createProfile(token, profile);
    JsonObject created = f.createRule(token, rule("negative_pct", "rises_by", 30).put("task_id", task)
        .put("name", "Comments turn sour").put("cooldown_hours", 24).put("webhook_url", f.receiver.url("/hooks/swing")));
    String ruleId = created.getString("rule_id");
    String secret = created.getString("webhook_secret");
    // fires on every negative scrape: once its alert of a scrape exists, the swing rule (older, evaluated first) was evaluated too
    String witness = f.createRule(token, rule("negative_pct", "above", 50).put("cooldown_hours", 0)).getString("rule_id");

    f.comments(profile, POSITIVE);
    assertEquals("completed", f.scrape(token, task));
    f.comments(profile, NEGATIVE);
    assertEquals("completed", f.scrape(token, task));
    JsonArray alerts = f.alertsUntil(token, a -> ofRule(a, ruleId).size() == 1 && ofRule(a, witness).size() == 1);
    JsonObject alert = ofRule(alerts, ruleId).get(0);
    assertEquals(task, alert.getString("task_id"));
    assertEquals("profile", alert.getString("task_type"));
    assertEquals(profile, alert.getString("target_profile"));
    assertEquals("Comments turn sour", alert.getString("rule_name"));
    assertEquals("negative_pct", alert.getString("metric"));
    assertEquals("rises_by", alert.getString("condition"));
    assertEquals(100.0, alert.getDouble("value"));
    assertEquals(0.0, alert.getDouble("baseline"));
    assertEquals(100.0, alert.getDouble("change"));
    assertEquals(30.0, alert.getDouble("threshold"));
    assertEquals(4, alert.getInteger("baseline_scrapes"));
    assertTrue(Math.abs(System.currentTimeMillis() / 1000 - alert.getLong("fired_at")) < 60);
    JsonArray samples = alert.getJsonArray("sample_comments");
    assertEquals(3, samples.size());
    samples.forEach(s -> {
      JsonObject sample = (JsonObject) s;
      assertEquals("negative", sample.getString("sentiment"));
      assertTrue(NEGATIVE.contains(sample.getString("text")), sample.encode());
      assertTrue(sample.getString("post_url").startsWith("https://www.instagram.com/p/"));
    });

    FakeWebhookReceiver.Received delivery = atLeast("/hooks/swing", 1).get(0);
    assertEquals("alert", delivery.header("X-Codvid-Event"));
    assertEquals(alert.getString("alert_id"), delivery.header("X-Codvid-Delivery"));
    assertTrue(WebhookSenderTest.verifies(secret, delivery.header("X-Codvid-Timestamp"), delivery.body(), delivery.header("X-Codvid-Signature")),
        "the recipe of docs/alerts.md verifies the signature");
    JsonObject body = new JsonObject(delivery.body());
    JsonObject shown = alert.copy();
    shown.remove("delivery");
    assertEquals(shown, body, "the receiver gets what get_alerts shows");
    f.alertsUntil(token, a -> "delivered".equals(ofRule(a, ruleId).get(0).getJsonObject("delivery").getString("status")));

    // still sour: the condition holds again (baseline 50), but the cooldown runs
    assertEquals("completed", f.scrape(token, task));
    alerts = f.alertsUntil(token, a -> ofRule(a, witness).size() == 2);
    assertEquals(1, ofRule(alerts, ruleId).size(), "one alert per cooldown");
    assertEquals(1, at("/hooks/swing").size());

    // once the cooldown has passed, the next sour scrape fires again
    f.ok(HttpMethod.PUT, "/alerts/update_rule/" + ruleId, token, new JsonObject().put("cooldown_hours", 0.0005));
    Thread.sleep(2_000);
    assertEquals("completed", f.scrape(token, task));
    alerts = f.alertsUntil(token, a -> ofRule(a, ruleId).size() == 2);
    JsonObject second = ofRule(alerts, ruleId).get(0);
    assertNotEquals(alert.getString("alert_id"), second.getString("alert_id"));
    assertEquals(66.67, second.getDouble("baseline"), "the mean of the three scrapes before");
    assertEquals(33.33, second.getDouble("change"));
    assertEquals(second.getString("alert_id"), atLeast("/hooks/swing", 2).get(1).header("X-Codvid-Delivery"));
  }

  @Test
  @DisplayName("a receiver answering 500 twice gets the same delivery id three times, each attempt signed and recorded")
  void retriesKeepTheDeliveryId() throws Exception {
    String token = user();
    String profile = "retry.brand";
    String task = f.createProfile(token, profile);
    JsonObject created = f.createRule(token, rule("negative_pct", "above", 50).put("webhook_url", f.receiver.url("/hooks/retry")));
    f.receiver.answerNext(500, 2);
    f.comments(profile, NEGATIVE);
    assertEquals("completed", f.scrape(token, task));

    JsonObject alert = f.alertsUntil(token, a -> a.size() == 1
        && "delivered".equals(a.getJsonObject(0).getJsonObject("delivery").getString("status"))).getJsonObject(0);
    List<FakeWebhookReceiver.Received> got = at("/hooks/retry");
    assertEquals(3, got.size());
    for (FakeWebhookReceiver.Received r : got) {
      assertEquals(alert.getString("alert_id"), r.header("X-Codvid-Delivery"));
      assertEquals(got.get(0).body(), r.body(), "the same body every time");
      assertTrue(WebhookSenderTest.verifies(created.getString("webhook_secret"), r.header("X-Codvid-Timestamp"), r.body(),
          r.header("X-Codvid-Signature")));
    }
    assertTrue(got.get(1).atMillis() - got.get(0).atMillis() >= 40, "backed off before the second attempt");
    JsonArray attempts = alert.getJsonObject("delivery").getJsonArray("attempts");
    assertEquals(3, attempts.size());
    assertEquals(List.of(1, 2, 3), attempts.stream().map(a -> ((JsonObject) a).getInteger("attempt")).toList());
    assertEquals(List.of("http_error", "http_error", "delivered"), attempts.stream().map(a -> ((JsonObject) a).getString("outcome")).toList());
    assertEquals(List.of(500, 500, 200), attempts.stream().map(a -> ((JsonObject) a).getInteger("status_code")).toList());
    assertNull(alert.getJsonObject("delivery").getValue("next_attempt_at"));
  }

  @Test
  @DisplayName("410 Gone switches the rule's webhook off: later alerts are stored but not sent until a webhook_url is set again")
  void goneDisablesTheWebhook() throws Exception {
    String token = user();
    String profile = "gone.brand";
    String task = f.createProfile(token, profile);
    String ruleId = f.createRule(token, rule("negative_pct", "above", 50).put("cooldown_hours", 0)
        .put("webhook_url", f.receiver.url("/hooks/gone"))).getString("rule_id");
    f.receiver.answerNext(410, 1);
    f.comments(profile, NEGATIVE);
    assertEquals("completed", f.scrape(token, task));
    JsonObject first = f.alertsUntil(token, a -> a.size() == 1 && "gone".equals(a.getJsonObject(0).getJsonObject("delivery").getString("status")))
        .getJsonObject(0);
    assertEquals(1, first.getJsonObject("delivery").getJsonArray("attempts").size(), "no retry after 410");
    JsonObject view = f.ok(HttpMethod.GET, "/alerts/get_rules", token, null).getJsonArray("rules").getJsonObject(0);
    assertFalse(view.getBoolean("webhook_active"));
    assertTrue(view.getString("webhook_disabled_reason").contains("410"));

    assertEquals("completed", f.scrape(token, task));
    JsonObject second = f.alertsUntil(token, a -> a.size() == 2).getJsonObject(0);
    assertEquals("no_webhook", second.getJsonObject("delivery").getString("status"));
    assertEquals(1, at("/hooks/gone").size());

    JsonObject again = f.ok(HttpMethod.PUT, "/alerts/update_rule/" + ruleId, token, new JsonObject().put("webhook_url", f.receiver.url("/hooks/gone")));
    assertTrue(again.getJsonObject("rule").getBoolean("webhook_active"));
    assertEquals("completed", f.scrape(token, task));
    f.alertsUntil(token, a -> a.size() == 3 && "delivered".equals(a.getJsonObject(0).getJsonObject("delivery").getString("status")));
    assertEquals(2, at("/hooks/gone").size());
  }

  @Test
  @DisplayName("scrape_failed fires when a tracked profile stops existing, with the scrape's error")
  void scrapeFailed() throws Exception {
    String token = user();
    String profile = "vanishing.brand";
    String task = f.createProfile(token, profile);
    JsonObject created = f.createRule(token, new JsonObject().put("metric", "scrape_failed").put("webhook_url", f.receiver.url("/hooks/failed")));
    assertEquals("completed", f.scrape(token, task));
    f.fake.errorItems(profile);
    assertEquals("failed", f.scrape(token, task));
    JsonObject alert = f.alertsUntil(token, a -> a.size() == 1).getJsonObject(0);
    assertEquals("scrape_failed", alert.getString("metric"));
    assertEquals(created.getString("rule_id"), alert.getString("rule_id"));
    assertEquals(task, alert.getString("task_id"));
    assertEquals(1, alert.getInteger("value"));
    assertEquals(1, alert.getInteger("consecutive_failures"));
    assertTrue(alert.getString("error").contains("not found"), alert.getString("error"));
    assertNull(alert.getValue("threshold"));
    FakeWebhookReceiver.Received got = atLeast("/hooks/failed", 1).get(0);
    assertEquals(alert.getString("alert_id"), got.header("X-Codvid-Delivery"));
    assertEquals("scrape_failed", new JsonObject(got.body()).getString("metric"));

    assertEquals("failed", f.scrape(token, task));
    Thread.sleep(500);
    assertEquals(1, f.alerts(token).size(), "the second failure falls in the 24 h cooldown");
  }

  @Test
  @DisplayName("the owner's WebSocket (/ws) and SSE stream (/alerts/events, ?token=) receive the alert live; another user's do not")
  void liveAlerts() throws Exception {
    String token = user();
    String stranger = user();
    String profile = "live.brand";
    String task = f.createProfile(token, profile);
    f.createRule(token, rule("negative_pct", "above", 50).put("cooldown_hours", 0));
    f.createRule(token, rule("negative_pct", "above", 0).put("enabled", false));
    int port = f.app.httpPort();
    LiveClients.Socket socket = await(LiveClients.webSocket(f.vertx, port, "/codvid-ai/ws", token));
    LiveClients.Socket other = await(LiveClients.webSocket(f.vertx, port, "/codvid-ai/ws", stranger));
    LiveClients.Stream stream = await(LiveClients.eventStream(f.vertx, port, "/codvid-ai/alerts/events?token=" + token, null));
    assertEquals(200, stream.status());
    await(Polling.until(f.vertx, 20, 10_000, () -> Future.succeededFuture(
        ready(socket.messages()) && ready(other.messages()) && stream.events().stream().anyMatch(e -> "ready".equals(e.getString("event")))
            ? Boolean.TRUE : null)));

    f.comments(profile, NEGATIVE);
    assertEquals("completed", f.scrape(token, task));
    JsonObject alert = f.alertsUntil(token, a -> a.size() == 1).getJsonObject(0);
    JsonObject pushed = await(Polling.until(f.vertx, 20, 10_000, () -> Future.succeededFuture(
        socket.messages().stream().filter(m -> "alert".equals(m.getString("type"))).findFirst().orElse(null))));
    assertEquals(alert.getString("alert_id"), pushed.getString("alert_id"));
    assertEquals(task, pushed.getString("task_id"));
    assertEquals(100.0, pushed.getDouble("value"));
    JsonObject event = await(Polling.until(f.vertx, 20, 10_000, () -> Future.succeededFuture(
        stream.events().stream().filter(e -> "alert".equals(e.getString("event"))).findFirst().orElse(null))));
    assertEquals(alert.getString("alert_id"), event.getJsonObject("data").getString("alert_id"));
    assertEquals("alert", event.getJsonObject("data").getString("type"));
    Thread.sleep(200);
    assertTrue(other.messages().stream().noneMatch(m -> "alert".equals(m.getString("type"))), "another user's socket hears nothing");
    assertEquals(1, f.alerts(token).size(), "a disabled rule fires nothing");
    assertEquals(1, socket.messages().stream().filter(m -> "alert".equals(m.getString("type"))).count());
    String metrics = f.call(HttpMethod.GET, "/metrics", null, null).bodyAsString();
    assertTrue(metrics.contains("address=\"codvid.alerts.*\""), "alert addresses are counted under their prefix");
    assertTrue(metrics.contains("address=\"codvid.scrapes.failed\"") || metrics.contains("codvid.insights.updated"));
    assertFalse(metrics.contains(userId(token)), "no user id reaches the metrics");

    assertEquals(401, await(LiveClients.eventStream(f.vertx, port, "/codvid-ai/alerts/events", null)).status());
    socket.ws().close();
    other.ws().close();
  }

  private static boolean ready(List<JsonObject> messages) {
    return messages.stream().anyMatch(m -> "ready".equals(m.getString("type")));
  }

  @Test
  @DisplayName("test_webhook sends a signed test event to the receiver now and answers how it went")
  void testWebhook() throws Exception {
    String token = user();
    JsonObject created = f.createRule(token, rule("positive_pct", "below", 20).put("webhook_url", f.receiver.url("/hooks/test")));
    JsonObject result = f.ok(HttpMethod.POST, "/alerts/test_webhook/" + created.getString("rule_id"), token, null);
    assertTrue(result.getBoolean("delivered"), result.encode());
    assertEquals(200, result.getJsonObject("attempt").getInteger("status_code"));
    FakeWebhookReceiver.Received got = at("/hooks/test").get(0);
    assertEquals("test", got.header("X-Codvid-Event"));
    assertEquals(result.getString("delivery_id"), got.header("X-Codvid-Delivery"));
    assertTrue(WebhookSenderTest.verifies(created.getString("webhook_secret"), got.header("X-Codvid-Timestamp"), got.body(),
        got.header("X-Codvid-Signature")));
    assertTrue(new JsonObject(got.body()).getBoolean("test"));
    assertEquals(0, f.alerts(token).size(), "a test is not a stored alert");

    f.receiver.answerNext(503, 1);
    JsonObject failed = f.ok(HttpMethod.POST, "/alerts/test_webhook/" + created.getString("rule_id"), token, null);
    assertFalse(failed.getBoolean("delivered"));
    assertEquals(503, failed.getJsonObject("attempt").getInteger("status_code"));
  }

  private String userId(String token) throws Exception {
    return f.ok(HttpMethod.GET, "/auth/get_uuid", token, null).getString("uuid");
  }

  private long count(String collection, JsonObject query) throws Exception {
    MongoClient mongo = f.app.services().mongo;
    return f.onNode(() -> mongo.count(collection, query));
  }

  @Test
  @DisplayName("deleting a task deletes its rules, alerts and pending deliveries; deleting a project does so for its reels; deleting the account leaves nothing")
  void deletionsCascade() throws Exception {
    String token = user();
    String userId = userId(token);
    String a = f.createProfile(token, "cascade.a");
    String b = f.createProfile(token, "cascade.b");
    String onA = f.createRule(token, rule("negative_pct", "above", 50).put("task_id", a).put("webhook_url", f.receiver.url("/hooks/held")))
        .getString("rule_id");
    String everyTask = f.createRule(token, rule("negative_pct", "above", 50).put("cooldown_hours", 0)).getString("rule_id");
    f.receiver.holdNext(1);
    f.comments("cascade.a", NEGATIVE);
    f.comments("cascade.b", NEGATIVE);
    assertEquals("completed", f.scrape(token, a));
    atLeast("/hooks/held", 1);
    assertEquals(1, count(Collections.ALERT_DELIVERIES, new JsonObject().put("user_id", userId)), "a delivery is in flight");
    assertEquals("completed", f.scrape(token, b));
    f.alertsUntil(token, x -> x.size() == 3);

    f.ok(HttpMethod.DELETE, "/ig-tracking/delete_task/" + a, token, null);
    JsonArray rules = f.ok(HttpMethod.GET, "/alerts/get_rules", token, null).getJsonArray("rules");
    assertEquals(List.of(everyTask), rules.stream().map(r -> ((JsonObject) r).getString("rule_id")).toList());
    JsonArray left = f.alerts(token);
    assertEquals(1, left.size());
    assertEquals(b, left.getJsonObject(0).getString("task_id"));
    assertEquals(0, count(Collections.ALERT_DELIVERIES, new JsonObject().put("user_id", userId)));
    JsonObject stored = f.onNode(() -> f.app.services().mongo.findOne(Collections.ALERT_RULES, new JsonObject().put("_id", everyTask), null));
    assertFalse(stored.getJsonObject("cooldowns").containsKey(a), "the deleted task's cooldown is forgotten");
    assertTrue(stored.getJsonObject("cooldowns").containsKey(b));
    assertFalse(onA.isEmpty());

    f.ok(HttpMethod.POST, "/project/create-project", token, new JsonObject().put("project_name", "cascade"));
    String reel = f.ok(HttpMethod.POST, "/ig-tracking/create_reel_task", token, new JsonObject().put("project_name", "cascade")
        .put("reel_url", "https://www.instagram.com/reel/CASCADE1/")).getString("task_id");
    f.createRule(token, new JsonObject().put("task_id", reel).put("metric", "scrape_failed"));
    assertEquals("completed", f.scrape(token, reel));
    assertEquals(1, count(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", reel)));
    f.ok(HttpMethod.DELETE, "/project/delete-project", token, new JsonObject().put("project_name", "cascade"));
    assertEquals(0, count(Collections.ALERT_RULES, new JsonObject().put("task_id", reel)), "the reel's rule went with its project");
    assertEquals(0, count(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", reel)),
        "the reel's insights series went too (it stayed behind before projects told the history sink)");

    f.ok(HttpMethod.DELETE, "/user/delete-account", token, null);
    for (String collection : List.of(Collections.ALERT_RULES, Collections.ALERTS, Collections.ALERT_DELIVERIES)) {
      assertEquals(0, count(collection, new JsonObject().put("user_id", userId)), collection);
    }
  }

  @Test
  @DisplayName("beyond alerts.max_alerts_per_user the oldest alerts (and their pending deliveries) are dropped")
  void pruning() throws Exception {
    AlertOptions options = AlertOptions.from(ai.codvid.config.AppConfig.of(new JsonObject().put("alerts",
        new JsonObject().put("max_alerts_per_user", 3))));
    FiredAlerts alerts = new FiredAlerts(f.app.services().mongo, options);
    for (int i = 1; i <= 5; i++) {
      JsonObject payload = new JsonObject().put("alert_id", "prune-" + i).put("rule_id", "r").put("task_id", "t");
      long at = 1_000L * i;
      f.onNode(() -> alerts.insert("prune-user", payload, false, at));
    }
    f.onNode(() -> f.app.services().mongo.insert(Collections.ALERT_DELIVERIES, new JsonObject().put("_id", "prune-1").put("user_id", "prune-user")));
    f.onNode(() -> alerts.prune("prune-user"));
    List<JsonObject> kept = f.onNode(() -> alerts.list("prune-user", 10));
    assertEquals(List.of("prune-5", "prune-4", "prune-3"), kept.stream().map(d -> d.getString("_id")).toList());
    assertEquals(0, count(Collections.ALERT_DELIVERIES, new JsonObject().put("_id", "prune-1")));
  }
}
