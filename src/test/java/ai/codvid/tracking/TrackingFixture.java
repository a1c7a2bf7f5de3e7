package ai.codvid.tracking;

import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeApify;
import ai.codvid.support.ApiClient;
import ai.codvid.support.Polling;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** A node wired to a fake Apify, with helpers that speak the tracking API. */
final class TrackingFixture {

  final FakeApify fake;
  final CodvidApp app;
  final ApiClient api;

  private TrackingFixture(FakeApify fake, CodvidApp app, ApiClient api) {
    this.fake = fake;
    this.app = app;
    this.api = api;
  }

  /** Test settings: fast retries, a 2 s lease, scheduler off unless the test turns it on. */
  static JsonObject config(FakeApify fake) {
    return TestNode.config(TestNode.tempDir())
        .put("apify", new JsonObject()
            .put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN)
            .put("timeout_seconds", 5).put("max_attempts", 4).put("max_retry_seconds", 10)
            .put("initial_backoff_ms", 20).put("max_backoff_ms", 200))
        .put("tracking", new JsonObject()
            .put("lease_seconds", 2).put("scheduler_enabled", false).put("scheduler_interval_seconds", 0.2)
            .put("first_retry_seconds", 900));
  }

  static Future<TrackingFixture> start(Vertx vertx, java.util.function.UnaryOperator<JsonObject> tune) {
    return FakeApify.start(vertx).compose(fake -> TestNode.start(vertx, tune.apply(config(fake)))
        .map(app -> new TrackingFixture(fake, app, new ApiClient(vertx, app.httpPort()))));
  }

  Future<Void> close() {
    api.close();
    return app.close().compose(v -> fake.close());
  }

  Future<String> createProfileTask(String token, String profile) {
    return api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", profile))
        .map(r -> {
          if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.bodyAsString());
          }
          return r.bodyAsJsonObject().getJsonObject("response").getString("task_id");
        });
  }

  Future<HttpResponse<Buffer>> forceScrape(String token, String taskId) {
    return api.post("/ig-tracking/force_scrape/" + taskId, token, null);
  }

  /** Polls task_status until the run that is (or was just) processing has ended; answers the status. */
  Future<JsonObject> awaitIdle(Vertx vertx, String token, String taskId) {
    return Polling.until(vertx, 50, 20_000, () -> api.get("/ig-tracking/task_status/" + taskId + "?logs_count=100", token)
        .map(r -> {
          JsonObject status = r.bodyAsJsonObject().getJsonObject("response");
          return status != null && !status.getBoolean("is_processing") && !"idle".equals(status.getString("status")) ? status : null;
        }));
  }
}
