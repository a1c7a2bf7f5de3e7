package ai.codvid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.ClusterNodes;
import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
@DisplayName("Cached reads (task, status, sentiment summary, projects) are dropped on every node by every change")
class ReadCacheTest {

  private final ClusterNodes cluster = new ClusterNodes();
  private ApiClient a;
  private ApiClient b;

  @AfterEach
  void stop(VertxTestContext ctx) {
    if (a != null) {
      a.close();
      b.close();
    }
    cluster.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject response(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("response");
  }

  @Test
  @DisplayName("node B serves its cached answers (a write behind the application's back stays unseen for the minute-long TTL), "
      + "and a change made through node A shows on B at once")
  void droppedClusterWide(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    String[] task = new String[1];
    cluster.start(2, c -> c.put("reads", new JsonObject().put("cache_ms", 60_000))
            .put("tracking", new JsonObject().put("list_cache_ms", 60_000).put("scheduler_enabled", false)))
        .compose(nodes -> {
          a = new ApiClient(vertx, nodes.get(0).httpPort());
          b = new ApiClient(vertx, nodes.get(1).httpPort());
          return a.signup("cached@example.com", "test-password-1");
        })
        .compose(t -> {
          token[0] = t;
          return a.post("/project/create-project", t, new JsonObject().put("project_name", "first").put("description", "v1"));
        })
        .compose(p -> a.post("/ig-tracking/create_task", token[0], new JsonObject().put("target_profile", "cached_profile")))
        .compose(created -> {
          task[0] = response(created).getString("task_id");
          // the creates' change notifications reach B first; an answer loaded while one arrives is not kept
          ReadCache cacheOfB = cluster.nodes.get(1).services().reads;
          return vertx.timer(1_000).compose(v -> Polling.until(vertx, 100, 10_000, () -> readsOnB(token[0], task[0])
              .map(answers -> cacheOfB.bytes() > 0 ? answers : null)));
        })
        .compose(first -> {
          // a change that bypasses the application (no notification): B keeps answering from its cache
          CodvidApp store = cluster.nodes.get(0);
          return store.services().mongo.updateCollection(Collections.PROFILE_TASKS, new JsonObject().put("_id", task[0]),
                  new JsonObject().put("$set", new JsonObject().put("status", "paused")))
              .compose(u -> store.services().mongo.updateCollection(Collections.PROJECTS, new JsonObject().put("project_name", "first"),
                  new JsonObject().put("$set", new JsonObject().put("project_info.description", "behind"))))
              .compose(u -> readsOnB(token[0], task[0]))
              .map(cached -> {
                ctx.verify(() -> {
                  assertEquals("active", response(cached.get(0)).getString("status"), "get_task served from the cache");
                  assertEquals("v1", response(cached.get(3)).getJsonObject("project_data").getJsonObject("project_info")
                      .getString("description"), "get-project-data served from the cache");
                  for (int i = 0; i < cached.size(); i++) {
                    assertEquals(first.get(i).bodyAsString(), cached.get(i).bodyAsString(), "answer " + i + " unchanged");
                  }
                });
                return null;
              });
        })
        .compose(v -> a.call(io.vertx.core.http.HttpMethod.PUT, "/ig-tracking/update_task/" + task[0], token[0],
            new JsonObject().put("status", "active")))
        .compose(v -> a.post("/project/create-project", token[0], new JsonObject().put("project_name", "second")))
        .compose(v -> Polling.until(vertx, 20, 2_000, () -> readsOnB(token[0], task[0]).map(fresh -> {
          JsonObject project = response(fresh.get(3)).getJsonObject("project_data");
          boolean seen = response(fresh.get(4)).getJsonArray("project_list").contains("second")
              && "behind".equals(project.getJsonObject("project_info").getString("description"))
              && "active".equals(response(fresh.get(0)).getString("status"));
          return seen ? fresh : null;
        })))
        .onComplete(ctx.succeeding(fresh -> ctx.verify(() -> {
          assertTrue(response(fresh.get(1)).containsKey("is_processing"));
          assertTrue(response(fresh.get(2)).containsKey("sentiment_summary"));
          ctx.completeNow();
        })));
  }

  /** get_task, task_status, sentiment_summary, get-project-data, get-project-list and get-project-mod-count on node B. */
  private Future<List<HttpResponse<Buffer>>> readsOnB(String token, String task) {
    return Future.all(List.of(
            b.get("/ig-tracking/get_task/" + task, token),
            b.get("/ig-tracking/task_status/" + task, token),
            b.get("/ig-tracking/sentiment_summary/" + task, token),
            b.post("/project/get-project-data", token, new JsonObject().put("project_name", "first")),
            b.post("/project/get-project-list", token, null),
            b.post("/project/get-project-mod-count", token, new JsonObject().put("project_name", "first"))))
        .map(all -> all.<HttpResponse<Buffer>>list());
  }
}
