package ai.codvid.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Alert rules over the API (a node with private webhooks off)")
class AlertRulesTest {

  private static final String PUBLIC_HOOK = "http://93.184.215.14/hooks/codvid";
  private final AtomicInteger users = new AtomicInteger();
  private AlertsFixture f;

  @BeforeAll
  void start() throws Exception {
    f = AlertsFixture.start(new JsonObject()
        .put("max_rules_per_user", 3)
        .put("test_webhooks_per_minute", 2)
        .put("webhook_connect_timeout_ms", 300)
        .put("webhook_timeout_ms", 300));
  }

  @AfterAll
  void stop() throws Exception {
    f.close();
  }

  private String user() throws Exception {
    return f.signup("rules-" + users.incrementAndGet() + "@example.com");
  }

  private HttpResponse<Buffer> create(String token, JsonObject rule) throws Exception {
    return f.call(HttpMethod.POST, "/alerts/create_rule", token, rule);
  }

  private static JsonObject rule() {
    return new JsonObject().put("metric", "negative_pct").put("condition", "above").put("threshold", 40);
  }

  private static void assertFailure(HttpResponse<Buffer> response, int status, String fragment) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(false, body.getBoolean("result"));
    assertTrue(body.getString("message").contains(fragment), "'" + body.getString("message") + "' should say " + fragment);
  }

  @Test
  @DisplayName("a webhook without a secret gets a generated 256-bit secret, answered once and never shown by get_rules")
  void secretShownOnce() throws Exception {
    String token = user();
    JsonObject created = f.createRule(token, rule().put("webhook_url", PUBLIC_HOOK));
    String secret = created.getString("webhook_secret");
    assertNotNull(created.getString("rule_id"));
    assertTrue(secret.matches("[0-9a-f]{64}"), secret);
    HttpResponse<Buffer> listed = f.call(HttpMethod.GET, "/alerts/get_rules", token, null);
    assertFalse(listed.bodyAsString().contains(secret), "get_rules shows the secret");
    JsonObject view = listed.bodyAsJsonObject().getJsonObject("response").getJsonArray("rules").getJsonObject(0);
    assertTrue(view.getBoolean("webhook_secret_set"));
    assertTrue(view.getBoolean("webhook_active"));
    assertFalse(view.containsKey("webhook_secret"));

    JsonObject given = f.createRule(token, rule().put("webhook_url", PUBLIC_HOOK).put("webhook_secret", "my-own-secret-of-32-characters!!"));
    assertFalse(given.containsKey("webhook_secret"), "a secret the client chose is not echoed");
    JsonObject plain = f.createRule(token, rule());
    assertFalse(plain.containsKey("webhook_secret"), "no webhook, no secret");
    assertFalse(plain.getJsonObject("rule").getBoolean("webhook_secret_set"));
  }

  @Test
  @DisplayName("a rule's defaults: every task of the user, 24 h cooldown, a baseline of 4 scrapes, enabled")
  void defaults() throws Exception {
    JsonObject view = f.createRule(user(), rule()).getJsonObject("rule");
    assertNull(view.getValue("task_id"));
    assertEquals(24.0, view.getDouble("cooldown_hours"));
    assertEquals(4, view.getInteger("baseline_scrapes"));
    assertTrue(view.getBoolean("enabled"));
    assertEquals(40.0, view.getDouble("threshold"));
    assertNull(view.getValue("webhook_url"));
    assertFalse(view.getBoolean("webhook_active"));
  }

  @Test
  @DisplayName("bad rules get a 400 that names what is wrong")
  void badRules() throws Exception {
    String token = user();
    Map<JsonObject, String> cases = new java.util.LinkedHashMap<>();
    cases.put(new JsonObject(), "missing metric");
    cases.put(rule().put("metric", "sentiment"), "Unknown metric");
    cases.put(rule().put("metric", 5), "metric must be a string");
    cases.put(rule().put("metric", "NEGATIVE_PCT"), "Unknown metric");
    cases.put(rule().put("condition", null), "missing condition");
    cases.put(rule().put("condition", "equals"), "Unknown condition");
    cases.put(rule().put("threshold", null), "missing threshold");
    cases.put(rule().put("threshold", "lots"), "threshold must be a number");
    cases.put(rule().put("threshold", 150), "threshold of negative_pct must be from 0 to 100");
    cases.put(rule().put("metric", "net_sentiment").put("threshold", -101), "from -100 to 100");
    cases.put(rule().put("metric", "followers").put("threshold", -1), "threshold of followers must be from 0 up");
    cases.put(rule().put("condition", "rises_by").put("threshold", -5), "must be above 0");
    cases.put(rule().put("condition", "falls_by").put("threshold", 0), "must be above 0");
    cases.put(rule().put("cooldown_hours", -1), "cooldown_hours must be from 0");
    cases.put(rule().put("cooldown_hours", 9_000), "cooldown_hours must be from 0");
    cases.put(rule().put("cooldown_hours", "soon"), "cooldown_hours must be a number");
    cases.put(rule().put("baseline_scrapes", 0), "baseline_scrapes must be a whole number");
    cases.put(rule().put("baseline_scrapes", 2.5), "baseline_scrapes must be a whole number");
    cases.put(rule().put("baseline_scrapes", 51), "baseline_scrapes must be a whole number");
    cases.put(new JsonObject().put("metric", "scrape_failed").put("threshold", 1), "scrape_failed takes no condition or threshold");
    cases.put(new JsonObject().put("metric", "scrape_failed").put("condition", "above"), "scrape_failed takes no condition or threshold");
    cases.put(rule().put("treshold", 4), "Unknown field 'treshold'");
    cases.put(rule().put("webhook_url", "file:///etc/passwd"), "must use http or https, not file:");
    cases.put(rule().put("webhook_url", "ftp://93.184.215.14/x"), "must use http or https");
    cases.put(rule().put("webhook_url", "javascript:alert(1)"), "must use http or https");
    cases.put(rule().put("webhook_url", "ws://93.184.215.14/x"), "must use http or https");
    cases.put(rule().put("webhook_url", "not a url"), "webhook_url");
    cases.put(rule().put("webhook_url", "http:///no-host"), "must name a host");
    cases.put(rule().put("webhook_url", "http://user:pw@93.184.215.14/"), "user name or password");
    cases.put(rule().put("webhook_url", "http://93.184.215.14/x#frag"), "fragment");
    cases.put(rule().put("webhook_url", "http://93.184.215.14/" + "x".repeat(2100)), "too long");
    cases.put(rule().put("webhook_url", 42), "webhook_url must be a string");
    cases.put(rule().put("webhook_secret", "short"), "webhook_secret must be 16 to 256");
    cases.put(rule().put("webhook_url", PUBLIC_HOOK).put("webhook_secret", "has spaces in it, sixteen+"), "webhook_secret must be 16 to 256");
    cases.put(rule().put("webhook_secret", "a-long-enough-secret-0123"), "webhook_secret needs a webhook_url");
    cases.put(rule().put("name", "n".repeat(101)), "name is too long");
    cases.put(rule().put("enabled", "maybe"), "enabled must be true or false");
    cases.put(rule().put("task_id", 7), "task_id must be a string");
    cases.put(rule().put("task_id", ""), "task_id must not be empty");
    cases.put(rule().put("metric", new JsonObject().put("$ne", null)), "metric must be a string");
    cases.put(rule().put("threshold", new JsonObject().put("$gt", 0)), "threshold must be a number");
    cases.put(rule().put("threshold", "NaN"), "threshold must be a finite number");
    cases.put(rule().put("name", "bell\u0007"), "name must not contain control characters");
    cases.put(rule().put("webhook_url", new JsonArray().add(PUBLIC_HOOK)), "webhook_url must be a string");
    for (Map.Entry<JsonObject, String> c : cases.entrySet()) {
      assertFailure(create(token, c.getKey()), 400, c.getValue());
    }
    assertEquals(0, f.ok(HttpMethod.GET, "/alerts/get_rules", token, null).getInteger("total_rules"), "nothing was stored");
  }

  @Test
  @DisplayName("webhook URLs reaching loopback, private, link-local, CGNAT, multicast or metadata addresses are refused, in every spelling; public ones are accepted")
  void ssrfRefused() throws Exception {
    String token = user();
    List<String> refused = List.of("http://127.0.0.1:8080/x", "https://127.0.0.1/x", "http://localhost/x", "http://LOCALHOST./x",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
        "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest", "http://100.100.100.200/",
        "http://10.0.0.1/", "http://192.168.1.10/", "http://172.16.5.4/", "http://100.64.1.1/", "http://0.0.0.0/",
        "http://2130706433/", "http://[fe80::1]/", "http://224.0.0.1/", "http://[ff02::1]/",
        "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://no-such-host.invalid/");
    for (String url : refused) {
      assertFailure(create(token, rule().put("webhook_url", url)), 400, "webhook_url is refused");
    }
    assertFailure(create(token, rule().put("webhook_url", "http://127.1/")), 400, "does not name a valid host");
    assertFailure(create(token, rule().put("webhook_url", "http://10.0.0.1/")), 400, "CODVID_ALERTS_ALLOW_PRIVATE_WEBHOOKS");
    assertFailure(create(token, rule().put("webhook_url", "http://169.254.169.254/")), 400, "metadata");
    f.createRule(token, rule().put("webhook_url", "http://93.184.215.14:8443/hook?x=1"));
    f.createRule(token, rule().put("webhook_url", "https://[2606:4700:4700::1111]/hook"));
  }

  @Test
  @DisplayName("another user's task is 404 as an unknown one, and followers on a reel task is a 400")
  void taskChecks() throws Exception {
    String owner = user();
    String other = user();
    String taskId = f.createProfile(owner, "owned.profile");
    assertFailure(create(other, rule().put("task_id", taskId)), 404, "Task not found or access denied");
    assertFailure(create(other, rule().put("task_id", "no-such-task")), 404, "Task not found");
    assertFailure(create(other, rule().put("task_id", "../etc")), 404, "Task not found");
    assertEquals(taskId, f.createRule(owner, rule().put("task_id", taskId)).getJsonObject("rule").getString("task_id"));

    f.ok(HttpMethod.POST, "/project/create-project", owner, new JsonObject().put("project_name", "launch"));
    String reelId = f.ok(HttpMethod.POST, "/ig-tracking/create_reel_task", owner, new JsonObject().put("project_name", "launch")
        .put("reel_url", "https://www.instagram.com/reel/ABCdef123/")).getString("task_id");
    assertFailure(create(owner, new JsonObject().put("task_id", reelId).put("metric", "followers").put("condition", "below")
        .put("threshold", 10)), 400, "followers is not known for a reel task");
    f.createRule(owner, new JsonObject().put("task_id", reelId).put("metric", "engagement_rate").put("condition", "falls_by")
        .put("threshold", 1.5));
  }

  @Test
  @DisplayName("update_rule (PUT or POST) checks the whole changed rule, keeps what was not given and rotates the secret when asked")
  void updates() throws Exception {
    String token = user();
    JsonObject created = f.createRule(token, rule().put("name", "Souring").put("webhook_url", PUBLIC_HOOK));
    String id = created.getString("rule_id");
    String first = created.getString("webhook_secret");

    JsonObject put = f.ok(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject().put("threshold", 55).put("enabled", false));
    assertEquals(55.0, put.getJsonObject("rule").getDouble("threshold"));
    assertFalse(put.getJsonObject("rule").getBoolean("enabled"));
    assertEquals("Souring", put.getJsonObject("rule").getString("name"));
    assertFalse(put.containsKey("webhook_secret"), "the secret is kept and not shown");

    JsonObject rotated = f.ok(HttpMethod.POST, "/alerts/update_rule/" + id, token, new JsonObject().put("rotate_webhook_secret", true));
    assertTrue(rotated.getString("webhook_secret").matches("[0-9a-f]{64}"));
    assertFalse(rotated.getString("webhook_secret").equals(first));

    JsonObject failed = f.ok(HttpMethod.POST, "/alerts/update_rule/" + id, token, new JsonObject().put("metric", "scrape_failed"));
    assertNull(failed.getJsonObject("rule").getValue("condition"), "changing to scrape_failed drops the condition");
    assertNull(failed.getJsonObject("rule").getValue("threshold"));

    assertFailure(f.call(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject().put("metric", "positive_pct")), 400, "missing condition");
    assertFailure(f.call(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject()), 400, "Nothing to update");
    assertFailure(f.call(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject().put("webhook_url", "http://10.1.1.1/")), 400, "refused");
    assertFailure(f.call(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject().put("cooldown_hours", -2)), 400, "cooldown_hours");

    JsonObject removed = f.ok(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject().put("webhook_url", null));
    assertFailure(f.call(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject().put("rotate_webhook_secret", true)), 400,
        "rotate_webhook_secret needs a webhook_url");
    assertNull(removed.getJsonObject("rule").getValue("webhook_url"));
    assertFalse(removed.getJsonObject("rule").getBoolean("webhook_secret_set"), "no webhook, no secret kept");
    JsonObject again = f.ok(HttpMethod.PUT, "/alerts/update_rule/" + id, token, new JsonObject().put("webhook_url", PUBLIC_HOOK));
    assertTrue(again.getString("webhook_secret").matches("[0-9a-f]{64}"), "a webhook added back gets a new secret");
  }

  @Test
  @DisplayName("another user's rule is 404 to read, change, test and delete; delete_rule works by DELETE and POST")
  void ownershipAndDeletion() throws Exception {
    String owner = user();
    String other = user();
    String a = f.createRule(owner, rule()).getString("rule_id");
    String b = f.createRule(owner, rule().put("webhook_url", PUBLIC_HOOK)).getString("rule_id");
    assertFailure(f.call(HttpMethod.PUT, "/alerts/update_rule/" + a, other, new JsonObject().put("threshold", 1)), 404, AlertRules.NOT_FOUND);
    assertFailure(f.call(HttpMethod.DELETE, "/alerts/delete_rule/" + a, other, null), 404, AlertRules.NOT_FOUND);
    assertFailure(f.call(HttpMethod.POST, "/alerts/test_webhook/" + b, other, null), 404, AlertRules.NOT_FOUND);
    assertFailure(f.call(HttpMethod.POST, "/alerts/update_rule/not*an*id", owner, new JsonObject().put("threshold", 1)), 404, AlertRules.NOT_FOUND);
    assertEquals(0, f.ok(HttpMethod.GET, "/alerts/get_rules", other, null).getJsonArray("rules").size());

    f.ok(HttpMethod.DELETE, "/alerts/delete_rule/" + a, owner, null);
    f.ok(HttpMethod.POST, "/alerts/delete_rule/" + b, owner, null);
    assertFailure(f.call(HttpMethod.DELETE, "/alerts/delete_rule/" + a, owner, null), 404, AlertRules.NOT_FOUND);
    assertEquals(0, f.ok(HttpMethod.GET, "/alerts/get_rules", owner, null).getInteger("total_rules"));
  }

  @Test
  @DisplayName("an account holds at most alerts.max_rules_per_user rules (409 beyond), and a deleted rule frees its place")
  void ruleLimit() throws Exception {
    String token = user();
    String first = null;
    for (int i = 0; i < 3; i++) {
      String id = f.createRule(token, rule()).getString("rule_id");
      first = first == null ? id : first;
    }
    assertFailure(create(token, rule()), 409, "At most 3 alert rules per account");
    assertEquals(3, f.ok(HttpMethod.GET, "/alerts/get_rules", token, null).getInteger("total_rules"));
    f.ok(HttpMethod.DELETE, "/alerts/delete_rule/" + first, token, null);
    f.createRule(token, rule());
  }

  @Test
  @DisplayName("get_alerts takes a limit from 1 to the stored maximum; anything else is a 400")
  void alertsLimit() throws Exception {
    String token = user();
    assertEquals(0, f.ok(HttpMethod.GET, "/alerts/get_alerts", token, null).getInteger("count"));
    for (String bad : List.of("0", "-3", "1.5", "abc", "1001", "")) {
      assertFailure(f.call(HttpMethod.GET, "/alerts/get_alerts?limit=" + bad, token, null), 400, "limit must be a whole number from 1 to 1000");
    }
    f.ok(HttpMethod.GET, "/alerts/get_alerts?limit=1000", token, null);
  }

  @Test
  @DisplayName("test_webhook: 409 for a rule without a webhook, and 429 with Retry-After beyond the per-minute limit")
  void testWebhookLimits() throws Exception {
    String token = user();
    String plain = f.createRule(token, rule()).getString("rule_id");
    assertFailure(f.call(HttpMethod.POST, "/alerts/test_webhook/" + plain, token, null), 409, "no webhook_url");
    String hooked = f.createRule(token, rule().put("webhook_url", PUBLIC_HOOK)).getString("rule_id");
    JsonObject attempt = f.ok(HttpMethod.POST, "/alerts/test_webhook/" + hooked, token, null);
    assertFalse(attempt.getBoolean("delivered"), "no receiver answers at that address from here");
    assertTrue(attempt.getString("delivery_id").startsWith("test-"));
    HttpResponse<Buffer> limited = f.call(HttpMethod.POST, "/alerts/test_webhook/" + hooked, token, null);
    assertEquals(429, limited.statusCode(), limited.bodyAsString());
    assertNotNull(limited.getHeader("Retry-After"));
    JsonArray rules = f.ok(HttpMethod.GET, "/alerts/get_rules", token, null).getJsonArray("rules");
    assertEquals(2, rules.size());
  }
}
