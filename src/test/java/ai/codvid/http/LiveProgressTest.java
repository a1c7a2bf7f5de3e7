package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.LiveClients;
import ai.codvid.support.Polling;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Live progress on one node: authentication, ownership, shutdown")
class LiveProgressTest {

  private CodvidApp app;
  private ApiClient api;
  private String token;
  private String taskId;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestNode.start(vertx, TestNode.config(TestNode.tempDir()).put("tracking", new JsonObject().put("scheduler_enabled", false)))
        .compose(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          return api.signup("live-one@example.com", "test-password-1");
        })
        .compose(t -> {
          token = t;
          return api.post("/ig-tracking/create_task", t, new JsonObject().put("target_profile", "followed"));
        })
        .onComplete(ctx.succeeding(created -> {
          taskId = created.bodyAsJsonObject().getJsonObject("response").getString("task_id");
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    (app == null ? Future.<Void>succeededFuture() : app.close()).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<String> refusal(Future<?> attempt) {
    return attempt.map(x -> "accepted").recover(e -> Future.succeededFuture(e.getMessage()));
  }

  @Test
  @DisplayName("a browser-style ?token= works; no token → 401, another user → 404, a plain GET → 400, all before any upgrade")
  void authentication(Vertx vertx, VertxTestContext ctx) {
    String path = "/codvid-ai/ig-tracking/ws/task_status/" + taskId;
    api.signup("someone-else@example.com", "test-password-1").compose(other -> Future.all(
            LiveClients.webSocket(vertx, app.httpPort(), path + "?token=" + token, null),
            refusal(LiveClients.webSocket(vertx, app.httpPort(), path, null)),
            refusal(LiveClients.webSocket(vertx, app.httpPort(), path, other)),
            api.get("/ig-tracking/ws/task_status/" + taskId, token),
            LiveClients.eventStream(vertx, app.httpPort(), "/codvid-ai/ig-tracking/events/" + taskId, other)))
        .compose(all -> Polling.until(vertx, 20, 5_000, () -> Future.succeededFuture(
            ((LiveClients.Socket) all.resultAt(0)).messages().isEmpty() ? null : all)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          LiveClients.Socket ok = all.resultAt(0);
          assertEquals("status", ok.messages().get(0).getString("type"));
          ok.ws().close();
          assertTrue(((String) all.resultAt(1)).contains("401"), (String) all.resultAt(1));
          assertTrue(((String) all.resultAt(2)).contains("404"), (String) all.resultAt(2));
          assertEquals(400, ((io.vertx.ext.web.client.HttpResponse<?>) all.resultAt(3)).statusCode());
          assertEquals(404, ((LiveClients.Stream) all.resultAt(4)).status());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a node shutting down closes its sockets with 1001 and ends its event streams")
  void shutdownClosesSockets(Vertx vertx, VertxTestContext ctx) {
    Future.all(LiveClients.webSocket(vertx, app.httpPort(), "/codvid-ai/ig-tracking/ws/task_status/" + taskId, token),
            LiveClients.webSocket(vertx, app.httpPort(), "/codvid-ai/ws", token),
            LiveClients.eventStream(vertx, app.httpPort(), "/codvid-ai/ig-tracking/events/" + taskId, token))
        .compose(all -> Polling.until(vertx, 20, 5_000, () -> Future.succeededFuture(
                ((LiveClients.Socket) all.resultAt(0)).messages().isEmpty() ? null : all))
            .compose(ready -> {
              CodvidApp closing = app;
              app = null;
              return closing.close();
            })
            .compose(v -> Future.all(((LiveClients.Socket) all.resultAt(0)).closed(), ((LiveClients.Socket) all.resultAt(1)).closed(),
                ((LiveClients.Stream) all.resultAt(2)).ended())))
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertEquals((short) 1001, (short) closed.resultAt(0));
          assertEquals((short) 1001, (short) closed.resultAt(1));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("subscribes sent without waiting count against the 50-per-socket cap while pending: 55 tasks plus 20 repeats give 50 subscriptions")
  void capCountsPendingSubscribes(Vertx vertx, VertxTestContext ctx) {
    List<Future<String>> created = new ArrayList<>();
    for (int i = 0; i < 54; i++) {
      created.add(api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "capped_" + i))
          .map(r -> r.bodyAsJsonObject().getJsonObject("response").getString("task_id")));
    }
    Future.all(created)
        .compose(all -> LiveClients.webSocket(vertx, app.httpPort(), "/codvid-ai/ws", token).compose(socket -> {
          List<String> ids = new ArrayList<>(List.of(taskId));
          ids.addAll(all.<String>list());
          for (String id : ids) {
            socket.ws().writeTextMessage(new JsonObject().put("action", "subscribe").put("task_id", id).encode());
          }
          for (int i = 0; i < 20; i++) {
            socket.ws().writeTextMessage(new JsonObject().put("action", "subscribe").put("task_id", taskId).encode());
          }
          // one "ready", then one answer per subscribe
          return Polling.until(vertx, 50, 10_000, () -> Future.succeededFuture(socket.messages().size() >= 1 + 75 ? socket : null))
              .compose(s -> vertx.timer(300).map(s));
        }))
        .onComplete(ctx.succeeding(socket -> ctx.verify(() -> {
          List<JsonObject> messages = socket.messages();
          long statuses = messages.stream().filter(m -> "status".equals(m.getString("type"))).count();
          long capped = messages.stream().filter(m -> "error".equals(m.getString("type"))
              && m.getString("message", "").startsWith("At most 50")).count();
          long repeats = messages.stream().filter(m -> "error".equals(m.getString("type"))
              && "Already subscribed".equals(m.getString("message"))).count();
          assertEquals(50, statuses, "subscriptions accepted");
          assertEquals(25, capped + repeats, "refused: " + capped + " over the cap, " + repeats + " repeats");
          assertTrue(repeats >= 19, "repeats of one task are refused while the first is pending: " + repeats);
          socket.ws().close();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("deleting an account closes its live sockets (1008) and ends its event streams at once, leaving other users' open")
  void deletionClosesLiveStreams(Vertx vertx, VertxTestContext ctx) {
    api.signup("bystander@example.com", "test-password-1")
        .compose(other -> api.post("/ig-tracking/create_task", other, new JsonObject().put("target_profile", "bystander"))
            .compose(created -> Future.all(
                LiveClients.webSocket(vertx, app.httpPort(), "/codvid-ai/ig-tracking/ws/task_status/" + taskId, token),
                LiveClients.webSocket(vertx, app.httpPort(), "/codvid-ai/ws", token),
                LiveClients.eventStream(vertx, app.httpPort(), "/codvid-ai/ig-tracking/events/" + taskId, token),
                LiveClients.webSocket(vertx, app.httpPort(), "/codvid-ai/ig-tracking/ws/task_status/"
                    + created.bodyAsJsonObject().getJsonObject("response").getString("task_id"), other))))
        .compose(all -> Polling.until(vertx, 20, 5_000, () -> Future.succeededFuture(
                ((LiveClients.Socket) all.resultAt(0)).messages().isEmpty() || ((LiveClients.Socket) all.resultAt(3)).messages().isEmpty()
                    ? null : all))
            .compose(ready -> api.call(HttpMethod.DELETE, "/user/delete-account", token, null))
            .compose(deleted -> Future.all(((LiveClients.Socket) all.resultAt(0)).closed(), ((LiveClients.Socket) all.resultAt(1)).closed(),
                ((LiveClients.Stream) all.resultAt(2)).ended()).timeout(5, TimeUnit.SECONDS))
            .compose(closed -> vertx.timer(200).map(v -> {
              ctx.verify(() -> {
                assertEquals((short) 1008, (short) closed.resultAt(0));
                assertEquals((short) 1008, (short) closed.resultAt(1));
                assertFalse(((LiveClients.Socket) all.resultAt(3)).ws().isClosed(), "another user's socket stays open");
              });
              ((LiveClients.Socket) all.resultAt(3)).ws().close();
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }
}
