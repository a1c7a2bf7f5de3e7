package ai.codvid.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.Polling;
import ai.codvid.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Scraping from the offline sample source")
class SampleScrapeTest {

  @Test
  @DisplayName("with no Apify token a profile and a reel are scraped end to end from the sample source, and get_task says so")
  void sampleEndToEnd(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = TestNode.config(TestNode.tempDir()).put("tracking", new JsonObject().put("scheduler_enabled", false));
    TestNode.start(vertx, config).compose(app -> {
      ApiClient api = new ApiClient(vertx, app.httpPort());
      return api.signup("sample@example.com", "test-password-1").compose(token -> api.post("/ig-tracking/create_task", token,
              new JsonObject().put("target_profile", "https://www.instagram.com/some.creator/"))
          .compose(created -> {
            String taskId = created.bodyAsJsonObject().getJsonObject("response").getString("task_id");
            return api.post("/ig-tracking/force_scrape/" + taskId, token, null)
                .compose(r -> Polling.until(vertx, 50, 15_000, () -> api.get("/ig-tracking/get_task/" + taskId, token)
                    .map(t -> t.bodyAsJsonObject().getJsonObject("response").getValue("last_scraped") != null
                        ? t.bodyAsJsonObject().getJsonObject("response") : null)));
          })
          .compose(task -> api.post("/project/create-project", token, new JsonObject().put("project_name", "demo"))
              .compose(p -> api.post("/ig-tracking/create_reel_task", token, new JsonObject().put("project_name", "demo")
                  .put("reel_url", "https://www.instagram.com/reel/C0ffee123/")))
              .compose(reel -> {
                String reelTask = reel.bodyAsJsonObject().getJsonObject("response").getString("task_id");
                return api.post("/ig-tracking/force_scrape_reel/" + reelTask, token, null)
                    .compose(r -> Polling.until(vertx, 50, 15_000, () -> api.get("/ig-tracking/get_reel_tracking_task/" + reelTask, token)
                        .map(t -> t.bodyAsJsonObject().getJsonObject("response").getJsonObject("task").getJsonObject("reel_data"))));
              })
              .map(reelData -> new JsonObject().put("profile", task).put("reel", reelData))))
          .eventually(() -> {
            api.close();
            return app.close();
          });
    }).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      JsonObject task = result.getJsonObject("profile");
      assertEquals("some.creator", task.getString("target_profile"));
      assertEquals("sample", task.getString("source"));
      JsonObject data = task.getJsonObject("target_profile_data");
      assertEquals("sample", data.getString("source"));
      assertEquals(3, data.getJsonArray("scraped_posts").size());
      data.getJsonArray("scraped_posts").forEach(p -> {
        JsonObject post = (JsonObject) p;
        assertEquals("sample", post.getString("source"));
        assertTrue(post.getJsonArray("top_comments").size() <= 10);
        post.getJsonArray("top_comments").forEach(c -> assertTrue(((JsonObject) c).containsKey("sentiment")));
      });
      JsonObject reel = result.getJsonObject("reel");
      assertEquals("sample", reel.getString("source"));
      assertTrue(reel.getJsonObject("sentiment_analysis").containsKey("overall_sentiment"));
      ctx.completeNow();
    })));
  }
}
