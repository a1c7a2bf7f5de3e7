package ai.codvid.insights;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one successful scrape, as kept in the task's series (and in its history
 * snapshot). Unknown values are null, never 0.
 *
 * @param snapshotId the {@code _id} of the task_history snapshot it was computed from
 * @param followers the profile's followers at that scrape (null for a reel task or when unknown)
 * @param positive classified comments of the scrape per label
 */
public record ScrapePoint(String snapshotId, long scrapedAt, long scrapedAtMs, Long followers, List<PostPoint> posts,
    int positive, int negative, int neutral) {

  public int comments() {
    return positive + negative + neutral;
  }

  JsonObject toJson() {
    JsonArray list = new JsonArray();
    posts.forEach(p -> list.add(p.toJson()));
    return new JsonObject().put("sid", snapshotId).put("scraped_at", scrapedAt).put("scraped_at_ms", scrapedAtMs)
        .put("followers", followers).put("posts", list).put("pos", positive).put("neg", negative).put("neu", neutral);
  }

  static ScrapePoint fromJson(JsonObject json) {
    List<PostPoint> posts = new ArrayList<>();
    for (Object p : json.getJsonArray("posts", new JsonArray())) {
      posts.add(PostPoint.fromJson((JsonObject) p));
    }
    return new ScrapePoint(json.getString("sid"), json.getLong("scraped_at", 0L), json.getLong("scraped_at_ms", 0L),
        json.getLong("followers"), List.copyOf(posts), json.getInteger("pos", 0), json.getInteger("neg", 0),
        json.getInteger("neu", 0));
  }
}
