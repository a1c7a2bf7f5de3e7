package ai.codvid.instagram;

import io.vertx.core.json.JsonObject;

/**
 * A comment as the product models it (never a raw upstream map).
 *
 * @param timestamp epoch seconds, or null when unknown
 * @param likesCount null when hidden or unknown (never -1)
 */
public record InstagramComment(String id, String text, String ownerUsername, Long timestamp,
    Long likesCount, Long repliesCount) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("comment_id", id)
        .put("text", text == null ? "" : text)
        .put("owner_username", ownerUsername)
        .put("timestamp", timestamp)
        .put("likes_count", likesCount)
        .put("replies_count", repliesCount);
  }

  public static InstagramComment fromJson(JsonObject json) {
    return new InstagramComment(json.getString("comment_id"), json.getString("text", ""),
        json.getString("owner_username"), json.getLong("timestamp"), json.getLong("likes_count"),
        json.getLong("replies_count"));
  }
}
