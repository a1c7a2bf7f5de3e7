package ai.codvid.instagram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A post or reel as the product models it.
 *
 * @param type "reel" | "post" | "carousel"
 * @param timestamp epoch seconds
 * @param likesCount null when hidden (upstream -1) or missing
 * @param hashtags with their leading '#', as the seeds show them
 * @param mentions with their leading '@'
 * @param comments the selected top comments (most liked first, then newest); may be empty
 * @param source "apify" or "sample"
 */
public record InstagramPost(String postId, String shortCode, String postUrl, Long timestamp, String type,
    String caption, Long likesCount, Long commentsCount, Long videoViewCount, Long videoPlayCount,
    List<String> hashtags, List<String> mentions, boolean pinned, String ownerUsername,
    List<InstagramComment> comments, String source) {

  public InstagramPost withComments(List<InstagramComment> selected) {
    return new InstagramPost(postId, shortCode, postUrl, timestamp, type, caption, likesCount, commentsCount,
        videoViewCount, videoPlayCount, hashtags, mentions, pinned, ownerUsername, List.copyOf(selected), source);
  }

  public JsonObject toJson() {
    JsonArray top = new JsonArray();
    comments.forEach(c -> top.add(c.toJson()));
    return new JsonObject()
        .put("post_id", postId)
        .put("short_code", shortCode)
        .put("post_url", postUrl)
        .put("timestamp", timestamp)
        .put("type", type)
        .put("caption", caption == null ? "" : caption)
        .put("likes_count", likesCount)
        .put("comments_count", commentsCount)
        .put("video_view_count", videoViewCount)
        .put("video_play_count", videoPlayCount)
        .put("hashtags", new JsonArray(List.copyOf(hashtags)))
        .put("mentions", new JsonArray(List.copyOf(mentions)))
        .put("is_pinned", pinned)
        .put("owner_username", ownerUsername)
        .put("top_comments", top)
        .put("source", source);
  }
}
