package ai.codvid.insights;

import static ai.codvid.insights.InsightsFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.store.Collections;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("History snapshots and their retention")
class HistoryRetentionTest {

  @Test
  @DisplayName("a snapshot keeps followers, posts, comments and its figures; with history_max_snapshots = 2 the oldest go from the history, the series and the export")
  void retention() throws Exception {
    try (InsightsFixture f = InsightsFixture.start(new JsonObject().put("history_max_snapshots", 2))) {
      String token = f.signup("retention@example.com");
      String id = f.createProfile(token, "kept", false);
      for (int i = 0; i < 3; i++) {
        f.scrape(token, id);
      }
      JsonArray history = f.ok("/ig-tracking/get_task_history/" + id + "?limit=100", token).getJsonArray("history");
      assertEquals(2, history.size());
      assertEquals(2, f.ok("/ig-tracking/insights/" + id, token).getJsonArray("series").size());
      assertEquals(3, f.get("/ig-tracking/export/" + id + "?what=series&format=csv", token).bodyAsString().split("\r\n").length);

      List<JsonObject> stored = await(f.app.services().mongo.find(Collections.TASK_HISTORY, new JsonObject().put("task_id", id)));
      assertEquals(2, stored.size());
      JsonObject snapshot = stored.get(0);
      JsonObject data = snapshot.getJsonObject("data");
      assertEquals(12_345L, data.getLong("followers"));
      JsonObject post = data.getJsonArray("scraped_posts").getJsonObject(0);
      for (String key : List.of("likes_count", "comments_count", "timestamp", "type", "post_url", "caption", "top_comments")) {
        assertTrue(post.containsKey(key), key);
      }
      JsonObject comment = post.getJsonArray("top_comments").getJsonObject(0);
      for (String key : List.of("text", "sentiment", "sentiment_score", "language", "likes_count", "owner_username")) {
        assertTrue(comment.containsKey(key), key);
      }
      JsonObject figures = snapshot.getJsonObject("figures");
      assertNotNull(figures);
      assertEquals(SnapshotFigures.VERSION, figures.getInteger("v"));
      assertEquals(30, figures.getJsonArray("comments").size());
      JsonObject task = await(f.app.services().mongo.findOne(Collections.PROFILE_TASKS, new JsonObject().put("_id", id), null));
      assertTrue(task.getLong("last_scraped_ms") >= snapshot.getLong("scraped_at_ms"), "the task says when its newest snapshot was taken");
      JsonObject series = await(f.app.services().mongo.findOne(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", id), null));
      assertEquals(2, series.getJsonArray("points").size());

      assertEquals(200, await(f.api.call(io.vertx.core.http.HttpMethod.DELETE, "/ig-tracking/delete_task/" + id, token, null)).statusCode());
      assertEquals(0L, await(f.app.services().mongo.count(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", id))));
      assertEquals(0L, await(f.app.services().mongo.count(Collections.TASK_HISTORY, new JsonObject().put("task_id", id))));
    }
  }

  @Test
  @DisplayName("a task deleted while its scrape runs leaves no snapshot and no series behind")
  void deletedDuringScrape() throws Exception {
    try (InsightsFixture f = InsightsFixture.start(new JsonObject())) {
      String token = f.signup("gone@example.com");
      String id = f.createProfile(token, "short.lived", false);
      f.fake.delayNext(1, 1_500);
      assertEquals(200, f.get("/ig-tracking/task_status/" + id, token).statusCode());
      assertEquals(200, await(f.api.post("/ig-tracking/force_scrape/" + id, token, null)).statusCode());
      assertEquals(200, await(f.api.call(io.vertx.core.http.HttpMethod.DELETE, "/ig-tracking/delete_task/" + id, token, null)).statusCode());
      Thread.sleep(4_000); // the delayed upstream answers, the run classifies and tries to store
      assertEquals(0L, await(f.app.services().mongo.count(Collections.TASK_HISTORY, new JsonObject().put("task_id", id))));
      assertEquals(0L, await(f.app.services().mongo.count(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", id))));
      assertEquals(404, f.get("/ig-tracking/insights/" + id, token).statusCode());
    }
  }
}
