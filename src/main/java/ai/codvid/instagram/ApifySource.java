package ai.codvid.instagram;

import ai.codvid.CodvidException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Instagram data from Apify's actors, exactly the calls of UPSTREAM.md:
 * {@value #PROFILE_ACTOR} for profiles, {@value #SCRAPER_ACTOR} for a post and for comments.
 * Retries, timeouts and the per-node concurrency limit live in {@link ApifyClient}.
 */
public final class ApifySource implements InstagramSource {

  public static final String PROFILE_ACTOR = "apify~instagram-profile-scraper";
  public static final String SCRAPER_ACTOR = "apify~instagram-scraper";

  private final ApifyOptions options;
  private final ApifyClient client;

  public ApifySource(Vertx vertx, ApifyOptions options) {
    if (!options.hasToken()) {
      throw new IllegalArgumentException("ApifySource needs apify.token (CODVID_APIFY_TOKEN)");
    }
    this.options = options;
    this.client = new ApifyClient(vertx, options);
  }

  @Override
  public String name() {
    return ApifyMapping.SOURCE;
  }

  public ApifyOptions options() {
    return options;
  }

  @Override
  public Future<InstagramProfile> fetchProfile(String username, RetryListener listener) {
    String name;
    try {
      name = InstagramNames.normalizeUsername(username);
    } catch (CodvidException e) {
      return Future.failedFuture(e);
    }
    JsonObject input = new JsonObject().put("usernames", new JsonArray().add(name));
    return client.run(PROFILE_ACTOR, input, listener).compose(items -> {
      List<JsonObject> data = ApifyMapping.dataItems(items);
      JsonObject item = data.stream()
          .filter(d -> name.equalsIgnoreCase(d.getString("username", "")))
          .findFirst()
          .orElse(data.isEmpty() ? null : data.get(0));
      if (item == null) {
        return Future.failedFuture(CodvidException.notFound("Instagram profile '" + name + "' not found or private"));
      }
      return Future.succeededFuture(ApifyMapping.profile(item, name));
    });
  }

  @Override
  public Future<InstagramPost> fetchPost(String postUrl, RetryListener listener) {
    return scraperInput(postUrl, "posts", 1).compose(input -> client.run(SCRAPER_ACTOR, input, listener)).compose(items -> {
      List<JsonObject> data = ApifyMapping.dataItems(items);
      if (data.isEmpty()) {
        return Future.failedFuture(CodvidException.notFound("Post not found or private"));
      }
      return Future.succeededFuture(ApifyMapping.post(data.get(0), null));
    });
  }

  @Override
  public Future<List<InstagramComment>> fetchComments(String postUrl, int limit, RetryListener listener) {
    return scraperInput(postUrl, "comments", Math.max(1, limit)).compose(input -> client.run(SCRAPER_ACTOR, input, listener)).compose(items -> {
      List<JsonObject> data = ApifyMapping.dataItems(items);
      if (!items.isEmpty() && data.isEmpty()) {
        return Future.failedFuture(CodvidException.notFound("Post not found or private"));
      }
      return Future.succeededFuture(data.stream()
          .map(ApifyMapping::comment).limit(Math.max(1, limit)).toList());
    });
  }

  @Override
  public Future<InstagramProfile> scrapeProfile(String username, int posts, int comments, RetryListener listener) {
    return ScrapeRule.scrapeProfile(this, username, posts, comments, options.commentsResultsLimit(), listener);
  }

  @Override
  public Future<InstagramPost> scrapePost(String postUrl, int comments, RetryListener listener) {
    return ScrapeRule.scrapePost(this, postUrl, comments, options.commentsResultsLimit(), listener);
  }

  /** Calls of this source in flight right now (at most {@link ApifyOptions#maxConcurrency()}). */
  public int inFlight() {
    return client.inFlight();
  }

  public void close() {
    client.close();
  }

  /** The instagram-scraper input for one post URL (validated; bad URLs fail without a call). */
  private static Future<JsonObject> scraperInput(String postUrl, String resultsType, int resultsLimit) {
    try {
      return Future.succeededFuture(new JsonObject()
          .put("directUrls", new JsonArray().add(InstagramNames.canonicalPostUrlOf(postUrl)))
          .put("resultsType", resultsType)
          .put("resultsLimit", resultsLimit));
    } catch (CodvidException e) {
      return Future.failedFuture(e);
    }
  }
}
