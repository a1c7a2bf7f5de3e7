package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
   * A client that follows the original clients' rules: it holds
   * {@code user_data = {"projects": {name: project_data}}}, appends its own message (one
   * mod_count step) before posting, applies each chunk with {@link DataMods#apply} and compares
   * its mod_count with get-project-mod-count afterwards.
   */
  final class RuleClient {
    final String token;
    final JsonObject userData = new JsonObject().put("projects", new JsonObject());

    RuleClient(String token) {
      this.token = token;
    }

    JsonObject project(String name) {
      return userData.getJsonObject("projects").getJsonObject(name);
    }

    /** Loads (or reloads) the project into user_data. */
    Future<JsonObject> load(String project) {
      return projectData(token, project).map(data -> {
        userData.getJsonObject("projects").put(project, data);
        return data;
      });
    }

    /** Asks with {@code message} (an object or a plain string) and reads the whole answer. */
    Future<Turn> ask(String project, Object message) {
      return ask(project, new JsonObject().put("project_name", project).put("message", message), l -> false);
    }

    /**
     * Posts {@code data} to /ai/respond as the original client does (its own message appended
     * first, unless the text is empty), applies every chunk read (until {@code disconnectWhen}
     * closes the connection), then reads the server's project.
     */
    Future<Turn> ask(String project, JsonObject data, Predicate<JsonObject> disconnectWhen) {
      Future<JsonObject> loaded = project(project) == null ? load(project) : Future.succeededFuture(project(project));
      return loaded.compose(before -> {
        JsonObject copyBefore = before.copy();
        Object message = data.getValue("message");
        String text = message instanceof JsonObject m ? m.getString("text", "") : message instanceof String s ? s : "";
        if (!text.isEmpty()) {
          DataMods.apply(userData, new JsonArray().add(DataMods.append(DataMods.projectPath(project, "chats"),
              new JsonObject().put("role", "user").put("type", "text").put("text", text))));
        }
        return streamAndApply("/codvid-ai/ai/respond", data, disconnectWhen)
            .compose(streamed -> turn(project, copyBefore, streamed));
      });
    }

    /** Posts to a streaming endpoint and applies every chunk of the answer, in order, one chunk at a time. */
    Future<Streamed> streamAndApply(String path, JsonObject data, Predicate<JsonObject> disconnectWhen) {
      return stream(path, token, data, disconnectWhen).map(streamed -> {
        for (JsonObject line : streamed.lines()) {
          if (line.getBoolean("result", false)) {
            DataMods.apply(userData, line.getJsonObject("response").getJsonArray("data_mods"));
          }
        }
        return streamed;
      });
    }

    Future<Turn> turn(String project, JsonObject before, Streamed streamed) {
      return projectData(token, project).compose(server -> modCount(token, project)
          .map(count -> new Turn(before, streamed, project(project).copy(), server, count)));
    }
  }

  /** One exchange of a {@link RuleClient}: the client's project before, what it read, its project after, and the server's. */
  record Turn(JsonObject before, Streamed streamed, JsonObject client, JsonObject server, long serverModCount) {

    /** The client holds what get-project-data answers (who said what, in order) and the same mod_count, without reloading. */
    void assertInSync() {
      assertEquals(serverModCount, client.getLong("mod_count"), "mod_count: the client would have to reload");
      assertEquals(server.getLong("mod_count"), client.getLong("mod_count"));
      assertSameChats(server.getJsonArray("chats"), client.getJsonArray("chats"));
    }

    /** The messages the answer added on the server. */
    JsonArray newChats() {
      JsonArray all = server.getJsonArray("chats");
      int from = Math.min(all.size(), before.getJsonArray("chats").size());
      return new JsonArray(all.getList().subList(from, all.size()));
    }

    JsonObject last(String role, String type) {
      JsonObject found = null;
      for (Object m : server.getJsonArray("chats")) {
        JsonObject message = (JsonObject) m;
        if (role.equals(message.getString("role")) && type.equals(message.getString("type"))) {
          found = message;
        }
      }
      return found;
    }
  }

  /**
   * Same messages in the same order: a message the client made itself (role, type and text
   * only) equals the stored one in those fields, which may add an id and a timestamp; every
   * other message is equal as a whole.
   */
  static void assertSameChats(JsonArray server, JsonArray client) {
    assertEquals(server.size(), client.size(), () -> "chats differ in length:\nserver " + server.encode() + "\nclient " + client.encode());
    for (int i = 0; i < server.size(); i++) {
      JsonObject stored = server.getJsonObject(i);
      JsonObject held = client.getJsonObject(i);
      if (java.util.Set.of("role", "type", "text").containsAll(held.fieldNames())) {
        for (String key : held.fieldNames()) {
          assertEquals(stored.getValue(key), held.getValue(key), "chats[" + i + "]." + key);
        }
      } else {
        assertEquals(stored, held, "chats[" + i + "]");
      }
    }
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
