package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Projects")
class ProjectApiTest {

  private CodvidApp app;
  private ApiClient api;
  private String token;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestNode.start(vertx, TestNode.config(TestNode.tempDir()))
        .compose(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          return api.signup("owner@example.com", "test-password-1");
        })
        .onComplete(ctx.succeeding(t -> {
          token = t;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject name(String projectName) {
    return new JsonObject().put("project_name", projectName);
  }

  @Test
  @DisplayName("a project is created, listed (also with no body), read with its full shape, counted and deleted")
  void lifecycle(VertxTestContext ctx) {
    String emojiName = "Café ☕ launch 🚀 — 東京";
    api.post("/project/create-project", token, name(emojiName))
        .compose(created -> {
          ctx.verify(() -> assertEquals(200, created.statusCode(), created.bodyAsString()));
          return api.raw(HttpMethod.POST, "/project/get-project-list", token, null);
        })
        .compose(list -> {
          ctx.verify(() -> {
            assertEquals(200, list.statusCode());
            assertEquals(new JsonArray().add(emojiName), list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list"));
          });
          return api.call(HttpMethod.GET, "/project/get-project-data", token, name(emojiName));
        })
        .compose(data -> {
          ctx.verify(() -> {
            assertEquals(200, data.statusCode());
            JsonObject project = data.bodyAsJsonObject().getJsonObject("response").getJsonObject("project_data");
            assertEquals("4.0", project.getString("schema_version"));
            assertEquals(0L, project.getLong("mod_count"));
            assertTrue(project.getLong("date") > 1_700_000_000L);
            assertEquals(new JsonObject().put("description", "").put("keywords", new JsonArray()), project.getJsonObject("project_info"));
            assertEquals(new JsonObject(), project.getJsonObject("ai_memory"));
            assertEquals(new JsonArray(), project.getJsonArray("chats"));
            assertEquals(new JsonArray(), project.getJsonArray("reel_tracking_tasks"));
          });
          return api.request(HttpMethod.GET, "/project/get-project-mod-count?project_name=" + java.net.URLEncoder.encode(emojiName, java.nio.charset.StandardCharsets.UTF_8), token).send();
        })
        .compose(count -> {
          ctx.verify(() -> assertEquals(0L, count.bodyAsJsonObject().getJsonObject("response").getLong("mod_count"), count.bodyAsString()));
          return api.call(HttpMethod.DELETE, "/project/delete-project", token, name(emojiName));
        })
        .compose(deleted -> {
          ctx.verify(() -> assertEquals(200, deleted.statusCode()));
          return api.post("/project/get-project-list", token, new JsonObject());
        })
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertEquals(new JsonArray(), list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("duplicate and unknown projects answer the seed's 400 messages; other users never see a project")
  void conflictsAndIsolation(VertxTestContext ctx) {
    api.post("/project/create-project", token, name("alpha"))
        .compose(r -> api.post("/project/create-project", token, name("alpha")))
        .compose(dup -> {
          ctx.verify(() -> {
            assertEquals(400, dup.statusCode());
            assertEquals("Project already exists", dup.bodyAsJsonObject().getString("message"));
          });
          return api.signup("intruder@example.com", "test-password-1");
        })
        .compose(other -> Future.all(
                api.post("/project/get-project-data", other, name("alpha")),
                api.post("/project/delete-project", other, name("alpha")),
                api.post("/project/get-project-list", other, null))
            .compose(reads -> api.post("/project/create-project", other, name("alpha"))
                .compose(created -> api.post("/project/get-project-list", token, null))
                .map(ownerList -> {
                  ctx.verify(() -> assertEquals(new JsonArray().add("alpha"),
                      ownerList.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list")));
                  return reads;
                })))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> read = all.resultAt(0);
          HttpResponse<Buffer> delete = all.resultAt(1);
          HttpResponse<Buffer> list = all.resultAt(2);
          assertEquals(400, read.statusCode());
          assertEquals("Project not found", read.bodyAsJsonObject().getString("message"));
          assertEquals(400, delete.statusCode());
          assertEquals(new JsonArray(), list.bodyAsJsonObject().getJsonObject("response").getJsonArray("project_list"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("project names: 100 characters of any script are fine; empty, 101 characters, control characters and non-strings get 400")
  void projectNames(VertxTestContext ctx) {
    String hundredEmoji = "🚀".repeat(100);
    List<Object> bad = List.of("", "   ", "x".repeat(101), "tab\there", "nul\u0000", "esc\u001b[31m",
        new JsonObject().put("$ne", 1), new JsonArray().add("a"), 12, true);
    Future<HttpResponse<Buffer>> good = api.post("/project/create-project", token, name(hundredEmoji));
    List<Future<HttpResponse<Buffer>>> bads = bad.stream()
        .map(value -> api.post("/project/create-project", token, new JsonObject().put("project_name", value)))
        .toList();
    Future.all(good, Future.all(bads)).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertEquals(200, ((HttpResponse<?>) all.resultAt(0)).statusCode());
      for (Future<HttpResponse<Buffer>> f : bads) {
        assertEquals(400, f.result().statusCode(), f.result().bodyAsString());
        assertEquals(false, f.result().bodyAsJsonObject().getBoolean("result"));
      }
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("missing project_name is a 400 that names the field")
  void missingName(VertxTestContext ctx) {
    api.post("/project/get-project-data", token, new JsonObject()).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(400, response.statusCode());
      assertEquals("missing project_name!", response.bodyAsJsonObject().getString("message"));
      ctx.completeNow();
    })));
  }
}
