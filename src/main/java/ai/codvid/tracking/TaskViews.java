package ai.codvid.tracking;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The client shapes of tasks (API.md): internal fields (owner, leases, run logs) never leave. */
public final class TaskViews {

  /** A profile task as get_tasks lists it. */
  public static JsonObject profileSummary(JsonObject doc) {
    return new JsonObject()
        .put("_id", doc.getString("_id"))
        .put("task_id", doc.getString("_id"))
        .put("target_profile", doc.getString("target_profile"))
        .put("is_competitor", doc.getBoolean("is_competitor", false))
        .put("status", doc.getString("status"))
        .put("created_at", doc.getLong("created_at"))
        .put("last_scraped", doc.getLong("last_scraped"))
        .put("next_scrape_due", doc.getLong("next_scrape_due"))
        .put("scrape_interval_days", number(doc.getValue("scrape_interval_days")))
        .put("last_error", doc.getJsonObject("last_error"))
        .put("source", doc.getString("source"));
  }

  /** A profile task with its data, as get_task answers it. */
  public static JsonObject profileDetail(JsonObject doc) {
    JsonObject data = doc.getJsonObject("target_profile_data");
    if (data == null) {
      data = new JsonObject()
          .put("username", doc.getString("target_profile"))
          .put("full_name", null).put("biography", null).put("followers", null).put("following", null)
          .put("follows_count", null).put("posts_count", null).put("igtv_video_count", null)
          .put("icon_pic_url", null).put("scraped_posts", new JsonArray());
    }
    return profileSummary(doc).put("target_profile_data", data);
  }

  /** A reel task with its data. */
  public static JsonObject reel(JsonObject doc) {
    return new JsonObject()
        .put("_id", doc.getString("_id"))
        .put("task_id", doc.getString("_id"))
        .put("project_name", doc.getString("project_name"))
        .put("reel_url", doc.getString("reel_url"))
        .put("reel_id", doc.getString("reel_id"))
        .put("status", doc.getString("status"))
        .put("created_at", doc.getLong("created_at"))
        .put("last_scraped", doc.getLong("last_scraped"))
        .put("next_scrape_due", doc.getLong("next_scrape_due"))
        .put("scrape_interval_days", number(doc.getValue("scrape_interval_days")))
        .put("last_error", doc.getJsonObject("last_error"))
        .put("source", doc.getString("source"))
        .put("reel_data", doc.getJsonObject("reel_data"));
  }

  /** Whole-day intervals read as integers (2, not 2.0), fractions as they are. */
  static Object number(Object value) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    return value;
  }

  private TaskViews() {
  }
}
