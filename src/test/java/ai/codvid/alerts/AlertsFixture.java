package ai.codvid.alerts;

import ai.codvid.CodvidApp;
import ai.codvid.config.AppConfig;
import ai.codvid.fakes.FakeApify;
import ai.codvid.fakes.FakeWebhookReceiver;
import ai.codvid.support.ApiClient;
import ai.codvid.support.Polling;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One node against the fake Apify and a webhook receiver on loopback, driven from the test
 * thread (never from an event loop).
 */
final class AlertsFixture implements AutoCloseable {

  static final String PASSWORD = "test-password-1";
  static final List<String> POSITIVE = List.of("I love this, amazing work 😍", "Great post, beautiful!", "Best brand ever, thank you!");
  static final List<String> NEGATIVE = List.of("This is terrible 👎", "Awful, I hate this", "Worst product ever, so disappointed 😡",
      "Horrible service, never again");

  final Vertx vertx;
  final FakeApify fake;
  final FakeWebhookReceiver receiver;
  final CodvidApp app;
  final ApiClient api;

  private AlertsFixture(Vertx vertx, FakeApify fake, FakeWebhookReceiver receiver, CodvidApp app) {
    this.vertx = vertx;
    this.fake = fake;
    this.receiver = receiver;
    this.app = app;
    this.api = new ApiClient(vertx, app.httpPort());
  }

  /** The test settings of alerts: fast retries and polling, private (loopback) webhooks allowed. */
  static JsonObject fastAlerts() {
    return new JsonObject()
        .put("allow_private_webhooks", true)
        .put("webhook_initial_backoff_ms", 100)
        .put("webhook_max_backoff_ms", 400)
        .put("webhook_connect_timeout_ms", 1_000)
        .put("webhook_timeout_ms", 2_000)
        .put("delivery_poll_ms", 50)
        .put("delivery_lease_seconds", 5);
  }

  static AlertsFixture start(JsonObject alerts) throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeApify fake = await(FakeApify.start(vertx));
    FakeWebhookReceiver receiver = await(FakeWebhookReceiver.start(vertx));
    JsonObject config = TestNode.config(TestNode.tempDir())
        .put("apify", new JsonObject().put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN)
            .put("max_attempts", 1).put("initial_backoff_ms", 10).put("max_backoff_ms", 50))
        .put("tracking", new JsonObject().put("scheduler_enabled", false).put("lease_seconds", 5))
        .put("auth", new JsonObject().put("signups_per_address", 1_000))
        .put("alerts", alerts);
    return new AlertsFixture(vertx, fake, receiver, await(CodvidApp.start(AppConfig.of(config))));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Runs a store call on the node's event loop (the Mongo client's streams need a Vert.x context) and waits for it. */
  <T> T onNode(java.util.function.Supplier<Future<T>> call) throws Exception {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    app.vertx().runOnContext(v -> call.get().onComplete(done));
    return await(done.future());
  }

  String signup(String email) throws Exception {
    return await(api.signup(email, PASSWORD));
  }

  String createProfile(String token, String profile) throws Exception {
    return ok(HttpMethod.POST, "/ig-tracking/create_task", token, new JsonObject().put("target_profile", profile)).getString("task_id");
  }

  /** Every post of the profile gets comments with these texts (one each, in turn, 10 per post). */
  void comments(String profile, List<String> texts) {
    comments(fake, profile, texts);
  }

  /** As {@link #comments(String, List)}, on any fake Apify. */
  static void comments(FakeApify fake, String profile, List<String> texts) {
    for (int i = 0; i < FakeApify.POSTS_PER_PROFILE; i++) {
      String code = FakeApify.shortCode(profile, i);
      JsonArray items = FakeApify.commentItems(code, FakeApify.REFERENCE);
      JsonArray chosen = new JsonArray();
      for (int k = 0; k < 10; k++) {
        chosen.add(items.getJsonObject(k).copy().put("text", texts.get(k % texts.size())));
      }
      fake.comments(code, chosen);
    }
  }

  /** Forces a scrape and waits for it to end; answers its final status ("completed" or "failed"). */
  String scrape(String token, String taskId) throws Exception {
    JsonObject status = await(api.scrapeToEnd(vertx, token, taskId));
    return status.getString("status");
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject data) throws Exception {
    return await(api.call(method, path, token, data));
  }

  /** The response of a call that must answer 200. */
  JsonObject ok(HttpMethod method, String path, String token, JsonObject data) throws Exception {
    HttpResponse<Buffer> r = call(method, path, token, data);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getJsonObject("response");
  }

  JsonObject createRule(String token, JsonObject rule) throws Exception {
    return ok(HttpMethod.POST, "/alerts/create_rule", token, rule);
  }

  JsonArray alerts(String token) throws Exception {
    return ok(HttpMethod.GET, "/alerts/get_alerts?limit=100", token, null).getJsonArray("alerts");
  }

  /** Waits until the user's alerts satisfy {@code done}; answers them. */
  JsonArray alertsUntil(String token, Predicate<JsonArray> done) throws Exception {
    return await(Polling.until(vertx, 50, 20_000, () -> api.get("/alerts/get_alerts?limit=100", token).map(r -> {
      JsonArray alerts = r.bodyAsJsonObject().getJsonObject("response").getJsonArray("alerts");
      return done.test(alerts) ? alerts : null;
    })));
  }

  /** Waits until the receiver has at least {@code count} requests; answers them. */
  List<FakeWebhookReceiver.Received> received(int count) throws Exception {
    return await(Polling.until(vertx, 20, 20_000, () -> Future.succeededFuture(
        receiver.received().size() >= count ? receiver.received() : null)));
  }

  @Override
  public void close() throws Exception {
    api.close();
    await(app.close());
    await(receiver.close());
    await(fake.close());
    await(vertx.close());
  }
}
