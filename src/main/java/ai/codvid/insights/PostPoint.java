package ai.codvid.insights;

import io.vertx.core.json.JsonObject;

/**
 * One post as one scrape saw it: what engagement figures need. Counts are null when unknown
 * (an older snapshot without the field, or a count the source did not give), never 0.
 *
 * @param likesHidden true when the post hides its like count (upstream -1 or absent); likes is then null
 * @param views the plays Instagram shows for a reel (upstream videoPlayCount), else the video views, else null
 * @param positive its classified top comments per label
 */
public record PostPoint(String id, String url, String type, Long timestamp, Long likes, boolean likesHidden,
    Long comments, Long views, int positive, int negative, int neutral) {

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("url", url).put("type", type).put("ts", timestamp)
        .put("likes", likes).put("hidden", likesHidden).put("comments", comments).put("views", views)
        .put("pos", positive).put("neg", negative).put("neu", neutral);
  }

  static PostPoint fromJson(JsonObject json) {
    String type = json.getString("type");
    return new PostPoint(json.getString("id"), json.getString("url"), type == null ? null : type.intern(), json.getLong("ts"),
        json.getLong("likes"), json.getBoolean("hidden", false), json.getLong("comments"), json.getLong("views"),
        json.getInteger("pos", 0), json.getInteger("neg", 0), json.getInteger("neu", 0));
  }

  /** {@code (likes + comments) / followers × 100}; hidden likes count as 0 (comments only); null when unknown. */
  public Double engagementRate(Long followers) {
    return Metrics.rate(engagement(), followers);
  }

  /** {@code (likes + comments) / views × 100} for a post with views; null otherwise. */
  public Double viewsEngagementRate() {
    return Metrics.rate(engagement(), views);
  }

  /** Likes (0 when hidden) + comments; null when the comments, or visible likes, are unknown. */
  public Long engagement() {
    if (comments == null || (likes == null && !likesHidden)) {
      return null;
    }
    return (likes == null ? 0 : likes) + comments;
  }
}
