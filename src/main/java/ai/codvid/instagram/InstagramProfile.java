package ai.codvid.instagram;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A profile as the product models it.
 *
 * @param following the number of accounts the profile follows (upstream followsCount)
 * @param posts the posts this fetch selected (for a scrape: the 3 most recent, with comments)
 * @param source "apify" or "sample"
 */
public record InstagramProfile(String username, String fullName, String biography, Long followers,
    Long following, Long postsCount, Long igtvVideoCount, String profilePicUrl, boolean isPrivate,
    boolean verified, List<InstagramPost> posts, String source) {

  public InstagramProfile withPosts(List<InstagramPost> selected) {
    return new InstagramProfile(username, fullName, biography, followers, following, postsCount,
        igtvVideoCount, profilePicUrl, isPrivate, verified, List.copyOf(selected), source);
  }

  /** The profile fields of {@code target_profile_data} (without {@code scraped_posts}). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("username", username)
        .put("full_name", fullName == null ? "" : fullName)
        .put("biography", biography == null ? "" : biography)
        .put("followers", followers)
        .put("following", following)
        .put("follows_count", following)
        .put("posts_count", postsCount)
        .put("igtv_video_count", igtvVideoCount)
        .put("icon_pic_url", profilePicUrl)
        .put("is_private", isPrivate)
        .put("verified", verified)
        .put("source", source);
  }
}
