package ai.codvid.ai;

import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeLlm;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A node wired to a fake LLM (or to none), with a streaming reader of the chat endpoints. */
final class ChatFixture {

  final FakeLlm fake;
  final CodvidApp app;
  final ApiClient api;
  final HttpClient http;

  private ChatFixture(FakeLlm fake, CodvidApp app, ApiClient api, HttpClient http) {
    this.fake = fake;
    this.app = app;
    this.api = api;
    this.http = http;
  }

  /** What a client read from a streamed answer. */
  record Streamed(int status, String contentType, List<JsonObject> lines, String raw) {

    /** Every data mod of every successful chunk, in order. */
    JsonArray mods() {
      JsonArray mods = new JsonArray();
      lines.stream().filter(l -> l.getBoolean("result", false))
          .forEach(l -> l.getJsonObject("response").getJsonArray("data_mods").forEach(mods::add));
      return mods;
    }

    JsonObject last() {
      return lines.get(lines.size() - 1);
    }
  }

  static Future<ChatFixture> start(Vertx vertx, boolean withModel, UnaryOperator<JsonObject> tune) {
    Future<FakeLlm> fake = withModel ? FakeLlm.start(vertx) : Future.succeededFuture(null);
    return fake.compose(llm -> {
      JsonObject config = TestNode.config(TestNode.tempDir())
          .put("tracking", new JsonObject().put("scheduler_enabled", false));
      if (llm != null) {
        config.put("llm", new JsonObject()
            .put("base_url", llm.baseUrl()).put("api_key", FakeLlm.KEY).put("model", FakeLlm.MODEL)
            .put("timeout_seconds", 3).put("max_attempts", 3).put("initial_backoff_ms", 20).put("max_backoff_ms", 100)
            .put("max_tool_rounds", 2));
      }
      return TestNode.start(vertx, tune.apply(config)).map(app -> new ChatFixture(llm, app,
          new ApiClient(vertx, app.httpPort()),
          vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.httpPort()).setKeepAlive(false))));
    });
  }

  Future<Void> close() {
    api.close();
    return http.close().compose(v -> app.close()).compose(v -> fake == null ? Future.succeededFuture() : fake.close());
  }

  /** Signs up and creates a project; answers the token. */
  Future<String> userWithProject(String email, String project) {
    return api.signup(email, "test-password-1").compose(token -> api.post("/project/create-project", token,
        new JsonObject().put("project_name", project).put("description", "Chat tests")).map(r -> token));
  }

  static JsonObject message(String text) {
    return new JsonObject().put("role", "user").put("type", "text").put("text", text);
  }

  Future<Streamed> respond(String token, String project, String text) {
    return stream("/codvid-ai/ai/respond", token, new JsonObject().put("project_name", project).put("message", message(text)), l -> false);
  }

  /**
   * Posts to a streaming endpoint and reads the answer line by line as it arrives; when a line
   * matches {@code disconnectWhen} the connection is closed at once and what was read so far is
   * answered.
   */
  Future<Streamed> stream(String path, String token, JsonObject data, Predicate<JsonObject> disconnectWhen) {
    Promise<Streamed> result = Promise.promise();
    http.request(HttpMethod.POST, path).onFailure(result::fail).onSuccess(request -> {
      request.putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
      request.send(ApiClient.envelope(data).encode()).onFailure(result::tryFail).onSuccess(response -> {
        List<JsonObject> lines = new ArrayList<>();
        Buffer raw = Buffer.buffer();
        StringBuilder pending = new StringBuilder();
        response.handler(chunk -> {
          raw.appendBuffer(chunk);
          pending.append(chunk.toString());
          int newline;
          while ((newline = pending.indexOf("\n")) >= 0) {
            String line = pending.substring(0, newline);
            pending.delete(0, newline + 1);
            if (!line.isBlank() && !result.future().isComplete()) {
              JsonObject json = new JsonObject(line);
              lines.add(json);
              if (disconnectWhen.test(json)) {
                close(request);
                result.tryComplete(new Streamed(response.statusCode(), response.getHeader("Content-Type"), lines, raw.toString()));
              }
            }
          }
        });
        response.end().onComplete(done -> {
          if (pending.length() > 0 && !pending.toString().isBlank() && lines.isEmpty()) {
            lines.add(new JsonObject(pending.toString()));
          }
          result.tryComplete(new Streamed(response.statusCode(), response.getHeader("Content-Type"), lines, raw.toString()));
        });
      });
    });
    return result.future();
  }

  private static void close(HttpClientRequest request) {
    request.connection().close();
  }

  Future<JsonObject> projectData(String token, String project) {
    return api.post("/project/get-project-data", token, new JsonObject().put("project_name", project))
        .map(r -> r.bodyAsJsonObject().getJsonObject("response").getJsonObject("project_data"));
  }

  Future<Long> modCount(String token, String project) {
    return api.post("/project/get-project-mod-count", token, new JsonObject().put("project_name", project))
        .map(r -> r.bodyAsJsonObject().getJsonObject("response").getLong("mod_count"));
  }
}
