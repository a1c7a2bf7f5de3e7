package ai.codvid.insights;

import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeApify;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;

/** One node against the fake Apify, driven from the test thread (never from an event loop). */
final class InsightsFixture implements AutoCloseable {

  final Vertx vertx;
  final FakeApify fake;
  final CodvidApp app;
  final ApiClient api;

  private InsightsFixture(Vertx vertx, FakeApify fake, CodvidApp app) {
    this.vertx = vertx;
    this.fake = fake;
    this.app = app;
    this.api = new ApiClient(vertx, app.httpPort());
  }

  static InsightsFixture start(JsonObject tracking) throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeApify fake = await(FakeApify.start(vertx));
    JsonObject config = TestNode.config(TestNode.tempDir())
        .put("apify", new JsonObject().put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN)
            .put("max_attempts", 2).put("initial_backoff_ms", 10).put("max_backoff_ms", 50))
        .put("tracking", new JsonObject().put("scheduler_enabled", false).put("lease_seconds", 5).mergeIn(tracking));
    return new InsightsFixture(vertx, fake, await(TestNode.start(vertx, config)));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  String signup(String email) throws Exception {
    return await(api.signup(email, "test-password-1"));
  }

  String createProfile(String token, String profile, boolean competitor) throws Exception {
    HttpResponse<Buffer> r = await(api.post("/ig-tracking/create_task", token,
        new JsonObject().put("target_profile", profile).put("is_competitor", competitor)));
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.bodyAsString());
    }
    return r.bodyAsJsonObject().getJsonObject("response").getString("task_id");
  }

  String createReel(String token, String project, String url) throws Exception {
    await(api.post("/project/create-project", token, new JsonObject().put("project_name", project)));
    HttpResponse<Buffer> r = await(api.post("/ig-tracking/create_reel_task", token,
        new JsonObject().put("project_name", project).put("reel_url", url)));
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.bodyAsString());
    }
    return r.bodyAsJsonObject().getJsonObject("response").getString("task_id");
  }

  /** Forces a scrape and waits for it to end; answers the task as get_task (or get_reel_tracking_task) shows it. */
  JsonObject scrape(String token, String taskId) throws Exception {
    JsonObject status = await(api.scrapeToEnd(vertx, token, taskId));
    if (!"completed".equals(status.getString("status"))) {
      throw new IllegalStateException("scrape failed: " + status.encode());
    }
    HttpResponse<Buffer> task = await(api.get("/ig-tracking/get_task/" + taskId, token));
    if (task.statusCode() == 200) {
      return task.bodyAsJsonObject().getJsonObject("response");
    }
    return await(api.get("/ig-tracking/get_reel_tracking_task/" + taskId, token)).bodyAsJsonObject().getJsonObject("response");
  }

  HttpResponse<Buffer> get(String path, String token) throws Exception {
    return await(api.get(path, token));
  }

  JsonObject ok(String path, String token) throws Exception {
    HttpResponse<Buffer> r = get(path, token);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getJsonObject("response");
  }

  @Override
  public void close() throws Exception {
    api.close();
    await(app.close());
    await(fake.close());
    await(vertx.close());
  }
}
