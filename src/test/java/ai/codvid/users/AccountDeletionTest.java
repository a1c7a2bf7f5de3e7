package ai.codvid.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.store.Collections;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@DisplayName("Deleting an account is final, whatever was in flight")
class AccountDeletionTest {

  private static final List<String> OWNED = new ArrayList<>(Collections.OWNED_BY_USER);

  private CodvidApp app;
  private ApiClient api;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestNode.start(vertx, TestNode.config(TestNode.tempDir())
            .put("tracking", new JsonObject().put("scheduler_interval_seconds", 0.2).put("force_scrape_per_minute", 1000)))
        .onComplete(ctx.succeeding(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  @RepeatedTest(value = 3, name = "trial {currentRepetition} of {totalRepetitions}")
  @DisplayName("with four writers creating projects, tasks, reel tasks, chat messages and scrapes, nothing of the account exists after the 200, nor 3 s later, and nothing is scraped for it")
  void deletionRacingWriters(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    String[] userId = new String[1];
    AtomicInteger accepted = new AtomicInteger();
    api.signup("racer@example.com", "test-password-1")
        .compose(t -> {
          token[0] = t;
          return api.get("/auth/get_uuid", t);
        })
        .compose(uuid -> {
          userId[0] = uuid.bodyAsJsonObject().getString("uuid");
          return api.post("/project/create-project", token[0], new JsonObject().put("project_name", "base"));
        })
        .compose(p -> api.post("/ig-tracking/create_task", token[0], new JsonObject().put("target_profile", "racer_base")))
        .compose(task -> {
          String taskId = task.bodyAsJsonObject().getJsonObject("response").getString("task_id");
          List<Future<Void>> writers = List.of(
              writer(vertx, 60, i -> api.post("/project/create-project", token[0], new JsonObject().put("project_name", "p" + i)), accepted),
              writer(vertx, 60, i -> api.post("/ig-tracking/create_task", token[0], new JsonObject().put("target_profile", "racer_" + i)),
                  accepted),
              writer(vertx, 60, i -> api.post("/ig-tracking/create_reel_task", token[0], new JsonObject().put("project_name", "base")
                  .put("reel_url", "https://www.instagram.com/reel/Race" + i + "/")), accepted),
              writer(vertx, 30, i -> i % 3 == 0 ? api.post("/ai/respond-stream-test", token[0], new JsonObject().put("project_name", "base"))
                  : api.post("/ig-tracking/force_scrape/" + taskId, token[0], null), accepted));
          Future<HttpResponse<Buffer>> deletion = vertx.timer(300)
              .compose(v -> api.post("/user/delete-account", token[0], null));
          return deletion.compose(deleted -> ownedDocuments(userId[0]).compose(right -> Future.all(writers)
              .compose(v -> vertx.timer(3_000))
              .compose(v -> ownedDocuments(userId[0]))
              .map(later -> {
                ctx.verify(() -> {
                  assertTrue(userId[0] != null && !userId[0].isBlank(), "the account's id is known");
                  assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
                  assertTrue(accepted.get() > 0, "some writes landed before the deletion");
                  assertEquals(0L, right, "nothing of the account right after the 200");
                  assertEquals(0L, later, "nothing of the account appears later");
                });
                return null;
              })));
        })
        .compose(v -> api.post("/project/get-project-list", token[0], null))
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertEquals(401, after.statusCode(), after.bodyAsString());
          ctx.completeNow();
        })));
  }

  /** Runs {@code count} requests one after the other, counting the 200s; ignores failures (the account goes away). */
  private static Future<Void> writer(Vertx vertx, int count, java.util.function.IntFunction<Future<HttpResponse<Buffer>>> request,
      AtomicInteger accepted) {
    Promise<Void> done = Promise.promise();
    step(0, count, request, accepted, done);
    return done.future();
  }

  private static void step(int i, int count, java.util.function.IntFunction<Future<HttpResponse<Buffer>>> request,
      AtomicInteger accepted, Promise<Void> done) {
    if (i == count) {
      done.complete();
      return;
    }
    request.apply(i).onComplete(r -> {
      if (r.succeeded() && r.result().statusCode() == 200) {
        accepted.incrementAndGet();
      }
      step(i + 1, count, request, accepted, done);
    });
  }

  /** Documents of the user in every collection it can own, plus its account. */
  private Future<Long> ownedDocuments(String userId) {
    List<Future<Long>> counts = new ArrayList<>();
    for (String collection : OWNED) {
      counts.add(app.services().mongo.count(collection, new JsonObject().put("user_id", userId)));
    }
    counts.add(app.services().mongo.count(Collections.USERS, new JsonObject().put("_id", userId)));
    return Future.all(counts).map(all -> {
      long total = 0;
      for (int i = 0; i < all.size(); i++) {
        total += all.<Long>resultAt(i);
      }
      return total;
    });
  }
}
