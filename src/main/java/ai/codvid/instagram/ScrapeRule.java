package ai.codvid.instagram;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.instagram.InstagramSource.RetryListener;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The product's selection rule, shared by every {@link InstagramSource} so the sample source
 * behaves exactly like Apify: the N most recent posts or reels by their own timestamp (a pinned
 * post counts only by its date), each with its top M comments (most liked first, then newest),
 * asking the source for more comments only when the item carries fewer than M and its
 * {@code commentsCount} says more exist (or is unknown).
 */
public final class ScrapeRule {

  /** Most liked first (hidden likes count as 0), then newest, then by id for a stable order. */
  public static final Comparator<InstagramComment> TOP_COMMENTS = Comparator
      .comparingLong((InstagramComment c) -> c.likesCount() == null ? 0 : c.likesCount()).reversed()
      .thenComparing(Comparator.comparingLong((InstagramComment c) ->
          c.timestamp() == null ? Long.MIN_VALUE : c.timestamp()).reversed())
      .thenComparing(c -> c.id() == null ? "" : c.id());

  /** Newest first; a post without a timestamp sorts last. */
  public static final Comparator<InstagramPost> MOST_RECENT = Comparator
      .comparingLong((InstagramPost p) -> p.timestamp() == null ? Long.MIN_VALUE : p.timestamp()).reversed()
      .thenComparing(p -> p.postId() == null ? "" : p.postId());

  private ScrapeRule() {
  }

  /** The {@code n} most recent posts, pins judged by their own date only. */
  public static List<InstagramPost> mostRecent(List<InstagramPost> posts, int n) {
    return posts.stream().sorted(MOST_RECENT).limit(Math.max(0, n)).toList();
  }

  /** The top {@code n} of the comments, duplicates (same id) counted once. */
  public static List<InstagramComment> topComments(List<InstagramComment> comments, int n) {
    return dedupe(comments).stream().sorted(TOP_COMMENTS).limit(Math.max(0, n)).toList();
  }

  /** The comments with duplicates removed (same id, or same author, time and text when there is no id), first kept. */
  public static List<InstagramComment> dedupe(List<InstagramComment> comments) {
    Map<String, InstagramComment> unique = new LinkedHashMap<>();
    for (InstagramComment c : comments) {
      String key = c.id() != null ? "id:" + c.id()
          : "x:" + c.ownerUsername() + "|" + c.timestamp() + "|" + c.text();
      unique.putIfAbsent(key, c);
    }
    return new ArrayList<>(unique.values());
  }

  /** Whether a post item carries too few comments and upstream may hold more. */
  public static boolean needsMoreComments(InstagramPost post, int wanted) {
    int carried = dedupe(post.comments()).size();
    if (carried >= wanted || post.postUrl() == null) {
      return false;
    }
    return post.commentsCount() == null || post.commentsCount() > carried;
  }

  /** {@link InstagramSource#scrapeProfile} on top of the source's fetch methods. */
  public static Future<InstagramProfile> scrapeProfile(InstagramSource source, String username, int posts,
      int comments, int commentsFetchLimit, RetryListener listener) {
    return source.fetchProfile(username, listener).compose(profile -> {
      if (profile.isPrivate()) {
        return Future.succeededFuture(profile.withPosts(List.of()));
      }
      List<Future<InstagramPost>> selected = mostRecent(profile.posts(), posts).stream()
          .map(post -> withTopComments(source, post, comments, commentsFetchLimit, listener))
          .toList();
      return Future.all(selected).map(all -> profile.withPosts(all.<InstagramPost>list()));
    });
  }

  /** {@link InstagramSource#scrapePost} on top of the source's fetch methods. */
  public static Future<InstagramPost> scrapePost(InstagramSource source, String postUrl, int comments,
      int commentsFetchLimit, RetryListener listener) {
    return source.fetchPost(postUrl, listener)
        .compose(post -> withTopComments(source, post, comments, commentsFetchLimit, listener));
  }

  /**
   * The post with its top {@code n} comments, merged from what it carries and, when needed, one
   * comments fetch (a fetched comment replaces the carried copy with the same id: its counts are newer). A comments fetch that finds nothing (NOT_FOUND: comments off, post gone
   * since) keeps what the item carried; any other failure fails the scrape.
   */
  public static Future<InstagramPost> withTopComments(InstagramSource source, InstagramPost post, int n,
      int fetchLimit, RetryListener listener) {
    if (!needsMoreComments(post, n)) {
      return Future.succeededFuture(post.withComments(topComments(post.comments(), n)));
    }
    return source.fetchComments(post.postUrl(), Math.max(n, fetchLimit), listener)
        .recover(failure -> failure instanceof CodvidException e && e.code() == FailureCode.NOT_FOUND
            ? Future.succeededFuture(List.of())
            : Future.failedFuture(failure))
        .map(fetched -> {
          List<InstagramComment> all = new ArrayList<>(fetched);
          all.addAll(post.comments());
          all.removeIf(Objects::isNull);
          return post.withComments(topComments(all, n));
        });
  }
}
