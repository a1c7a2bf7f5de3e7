package ai.codvid.instagram;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where Instagram data comes from: Apify's actors when a token is configured, otherwise the
 * offline sample source ({@code InstagramSources.create(vertx, config)} chooses). Every result is our own model. Failures are
 * {@link ai.codvid.CodvidException}s with a message a user understands: NOT_FOUND for a
 * profile or post that is private, deleted or does not exist; UPSTREAM (502) for a rejected
 * token, a used-up plan, or retries exhausted; UPSTREAM_TIMEOUT (504) for a slow upstream.
 */
public interface InstagramSource {

  /** Told before each retry, so the pipeline can publish a {@code scrape_retrying} event. */
  @FunctionalInterface
  interface RetryListener {
    RetryListener NONE = (attempt, delayMillis, reason) -> { };

    void retrying(int attempt, long delayMillis, String reason);
  }

  /** "apify" or "sample". */
  String name();

  /** Profile info and its recent posts as upstream lists them (up to 12, pins flagged, comments as carried). */
  Future<InstagramProfile> fetchProfile(String username, RetryListener listener);

  /** One post or reel by its URL (comments as carried by the item). */
  Future<InstagramPost> fetchPost(String postUrl, RetryListener listener);

  /** Up to {@code limit} comments of a post, as upstream returns them. */
  Future<List<InstagramComment>> fetchComments(String postUrl, int limit, RetryListener listener);

  /**
   * The profile scrape rule: profile info, the {@code posts} most recent posts or reels (a
   * pinned post counts only by its own date), each with its top {@code comments} comments (most
   * liked first, then newest), fetching comments when the post item carries fewer than needed.
   * A private profile gives its info and no posts.
   */
  Future<InstagramProfile> scrapeProfile(String username, int posts, int comments, RetryListener listener);

  /** One reel or post with its top {@code comments} comments. */
  Future<InstagramPost> scrapePost(String postUrl, int comments, RetryListener listener);
}
