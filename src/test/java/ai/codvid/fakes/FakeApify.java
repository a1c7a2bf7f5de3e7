package ai.codvid.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Apify API v2 on a real loopback port, answering the Instagram actors in Apify's exact
 * format (camelCase items of UPSTREAM.md). Point a source at it with
 * {@code apify.base_url = fake.baseUrl()} and {@code apify.token = FakeApify.TOKEN}.
 *
 * <h2>What it serves</h2>
 * {@code POST /v2/acts/{actor}/run-sync-get-dataset-items} → 201 with a JSON array:
 * <ul>
 *   <li>{@value #PROFILE_ACTOR} with {@code {"usernames": [u]}} → one profile item per name.</li>
 *   <li>{@value #SCRAPER_ACTOR} with {@code {"directUrls": [url], "resultsType": "posts"}} → the
 *       post item of the URL's short code, carrying its first {@value #CARRIED_COMMENTS} comments
 *       in {@code latestComments}.</li>
 *   <li>{@value #SCRAPER_ACTOR} with {@code "resultsType": "comments", "resultsLimit": n} → up to
 *       n comment items of the post, newest first.</li>
 * </ul>
 * It checks {@code Authorization: Bearer} against {@link #token()} (401 with Apify's error body
 * otherwise), refuses inputs without {@code usernames} / {@code directUrls} (400) and unknown
 * actors (404).
 *
 * <h2>Generated data (when nothing was set with {@link #profile}, {@link #post}, {@link #comments})</h2>
 * Every username has a profile whose {@code latestPosts} holds 12 posts with short codes
 * {@link #shortCode(String, int) shortCode(u, i)}: i = 0 is a <b>pinned</b> post from 2021 with
 * 99,999 likes, listed first; i = 1…11 were posted i days before {@link #REFERENCE} (1 is the
 * newest) and are listed out of order ({@link #LISTING_ORDER}). Post 1 is a reel
 * ({@code productType "clips"}, 5,000 views, 9,000 plays, 500 likes), 2 a carousel ("Sidecar",
 * 200 likes), 3 an image with a hidden like count ({@code -1}), 4 an IGTV video, 5 a feed video,
 * the rest images with {@code 100 - i} likes. Each post says {@code commentsCount: 25} and carries
 * no comments (as the profile scraper does); hashtags {@code ["fake", "#tagged"]}, mentions
 * {@code ["friend", "@other"]}. A post has {@value #COMMENTS_PER_POST} comments, comment k
 * (1…25) with id {@code <code>-c<k>}, posted k minutes after the post, {@code (k * 7) % 13}
 * likes (so likes tie and newest-first decides), texts cycling through {@link #COMMENT_TEXTS}
 * (emoji-only, empty GIF comments, several languages). Short codes that do not follow the
 * pattern give a reel with the same comments.
 *
 * <h2>Behaviours (one-shot counters are consumed per request, any actor)</h2>
 * {@link #failNext}, {@link #rateLimitNext}, {@link #malformedNext}, {@link #dropNext} (closes
 * the connection without answering), {@link #delay} / {@link #delayNext}, {@link #usageLimit}
 * (402), {@link #token(String)} (expect another token), {@link #errorItems} (a dataset of only
 * error items for a username or short code), {@link #mixErrorItems} (an error item in every
 * dataset), {@link #privateProfile}. Order of checks: token, usage limit, failNext,
 * rateLimitNext, dropNext, malformedNext, data; a delay applies before all of them.
 *
 * <h2>Counters</h2>
 * {@link #calls()}, {@link #calls(String)}, {@link #calls(String, String)} count every request
 * received (refused ones included); {@link #requests()} keeps actor, input and query of each;
 * {@link #maxConcurrent()} is the peak of requests in flight. {@link #reset()} restores defaults.
 */
public final class FakeApify {

  public static final String TOKEN = "fake-apify-token";
  public static final String PROFILE_ACTOR = "apify~instagram-profile-scraper";
  public static final String SCRAPER_ACTOR = "apify~instagram-scraper";
  public static final Instant REFERENCE = Instant.parse("2025-06-01T12:00:00Z");
  public static final Instant PINNED_AT = Instant.parse("2021-01-01T09:30:00Z");
  public static final int POSTS_PER_PROFILE = 12;
  public static final int COMMENTS_PER_POST = 25;
  public static final int CARRIED_COMMENTS = 3;
  /** The order of post indexes in {@code latestPosts}: pinned first, the rest not by date. */
  public static final List<Integer> LISTING_ORDER = List.of(0, 3, 1, 5, 2, 4, 6, 7, 8, 9, 10, 11);
  public static final List<String> COMMENT_TEXTS = List.of("Great post 😍", "", "🔥🔥🔥",
      "Que lindo, amei!", "This is terrible 👎", "Where is this?", "Me encanta ❤️",
      "Bahut badhiya yaar", "你好，很好看", "😂");

  private static final Pattern RUN_SYNC = Pattern.compile("^/v2/acts/([^/]+)/run-sync-get-dataset-items/?$");
  private static final Pattern SHORT_CODE = Pattern.compile("instagram\\.com/(?:[^/]+/)?(?:p|reels?|tv)/([A-Za-z0-9_-]+)");
  private static final Pattern GENERATED = Pattern.compile("^F(\\d+)_(.+)$");

  private final Vertx vertx;
  private final HttpServer server;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger failTimes = new AtomicInteger();
  private final AtomicInteger failStatus = new AtomicInteger(500);
  private final AtomicInteger rateLimitTimes = new AtomicInteger();
  private final AtomicInteger retryAfterSeconds = new AtomicInteger();
  private final AtomicInteger malformedTimes = new AtomicInteger();
  private final AtomicInteger dropTimes = new AtomicInteger();
  private final AtomicInteger delayTimes = new AtomicInteger();
  private final AtomicLong delayNextMillis = new AtomicLong();
  private final AtomicLong delayMillis = new AtomicLong();
  private final AtomicBoolean usageLimit = new AtomicBoolean();
  private final AtomicBoolean mixErrors = new AtomicBoolean();
  private final Set<String> errorKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> privateNames = ConcurrentHashMap.newKeySet();
  private final Map<String, JsonObject> profiles = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> posts = new ConcurrentHashMap<>();
  private final Map<String, JsonArray> comments = new ConcurrentHashMap<>();
  private volatile String token = TOKEN;
  private volatile String failResultsType;

  private FakeApify(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts the fake on 127.0.0.1, on a free port. */
  public static Future<FakeApify> start(Vertx vertx) {
    return start(vertx, 0);
  }

  /** Starts the fake on 127.0.0.1 on the given port (to bring an "unreachable" upstream back). */
  public static Future<FakeApify> start(Vertx vertx, int port) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    FakeApify fake = new FakeApify(vertx, server);
    server.requestHandler(fake::handle);
    return server.listen().map(fake);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  // ---- behaviours ----

  /** The next {@code times} requests answer {@code status} with Apify's error body. */
  public FakeApify failNext(int status, int times) {
    return failNext(status, times, null);
  }

  /**
   * The next {@code times} requests whose input has this {@code resultsType} ("posts",
   * "comments"; null for any request) answer {@code status}: fail only the comments calls of a scrape.
   */
  public FakeApify failNext(int status, int times, String resultsType) {
    failStatus.set(status);
    failResultsType = resultsType;
    failTimes.set(times);
    return this;
  }

  /** The next {@code times} requests answer 429 with {@code Retry-After: retryAfterSeconds}. */
  public FakeApify rateLimitNext(int times, int retryAfterSeconds) {
    this.retryAfterSeconds.set(retryAfterSeconds);
    rateLimitTimes.set(times);
    return this;
  }

  /** The next {@code times} requests answer 201 with a truncated JSON body. */
  public FakeApify malformedNext(int times) {
    malformedTimes.set(times);
    return this;
  }

  /** The next {@code times} requests get their connection closed without an answer. */
  public FakeApify dropNext(int times) {
    dropTimes.set(times);
    return this;
  }

  /** Every request waits {@code millis} before it is answered (0 to stop). */
  public FakeApify delay(long millis) {
    delayMillis.set(millis);
    return this;
  }

  /** The next {@code times} requests wait {@code millis} before they are answered. */
  public FakeApify delayNext(int times, long millis) {
    delayNextMillis.set(millis);
    delayTimes.set(times);
    return this;
  }

  /** Every request answers 402, as when the plan's usage is used up. */
  public FakeApify usageLimit() {
    usageLimit.set(true);
    return this;
  }

  /** The bearer token the fake accepts (default {@value #TOKEN}). */
  public FakeApify token(String expected) {
    token = expected;
    return this;
  }

  public String token() {
    return token;
  }

  /** Datasets for this username or post short code hold only error items. */
  public FakeApify errorItems(String usernameOrShortCode) {
    errorKeys.add(usernameOrShortCode.toLowerCase());
    return this;
  }

  /** Every dataset also holds an error item, first (the data must survive the filtering). */
  public FakeApify mixErrorItems(boolean on) {
    mixErrors.set(on);
    return this;
  }

  /** The profile is private: {@code private: true}, no posts. */
  public FakeApify privateProfile(String username) {
    privateNames.add(username.toLowerCase());
    return this;
  }

  /** Answers this exact profile item for {@code username}. */
  public FakeApify profile(String username, JsonObject item) {
    profiles.put(username.toLowerCase(), item.copy());
    return this;
  }

  /** Answers this exact post item for {@code shortCode}. */
  public FakeApify post(String shortCode, JsonObject item) {
    posts.put(shortCode, item.copy());
    return this;
  }

  /** Answers these exact comment items for {@code shortCode} (limited by resultsLimit). */
  public FakeApify comments(String shortCode, JsonArray items) {
    comments.put(shortCode, items.copy());
    return this;
  }

  /** Back to defaults: no behaviours, no overrides, counters at zero. */
  public FakeApify reset() {
    requests.clear();
    maxConcurrent.set(inFlight.get());
    failTimes.set(0);
    failResultsType = null;
    rateLimitTimes.set(0);
    malformedTimes.set(0);
    dropTimes.set(0);
    delayTimes.set(0);
    delayMillis.set(0);
    usageLimit.set(false);
    mixErrors.set(false);
    errorKeys.clear();
    privateNames.clear();
    profiles.clear();
    posts.clear();
    comments.clear();
    token = TOKEN;
    return this;
  }

  // ---- counters ----

  public int calls() {
    return requests.size();
  }

  public int calls(String actor) {
    return (int) requests.stream().filter(r -> actor.equals(r.getString("actor"))).count();
  }

  /** Calls of {@code actor} whose input has this {@code resultsType} ("posts" or "comments"). */
  public int calls(String actor, String resultsType) {
    return (int) requests.stream()
        .filter(r -> actor.equals(r.getString("actor")))
        .filter(r -> resultsType.equals(r.getJsonObject("input", new JsonObject()).getString("resultsType")))
        .count();
  }

  /** Each request received: {@code {"actor", "input", "query": {...}, "at_ms"}}, in arrival order. */
  public List<JsonObject> requests() {
    return List.copyOf(requests);
  }

  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  public int inFlight() {
    return inFlight.get();
  }

  // ---- data in Apify's format ----

  public static String shortCode(String username, int index) {
    return "F" + index + "_" + username.toLowerCase().replace('.', '-');
  }

  public static String postUrl(String shortCode) {
    return "https://www.instagram.com/p/" + shortCode + "/";
  }

  /** The generated profile item of {@code username} (see the class comment). */
  public static JsonObject profileItem(String username) {
    JsonArray latest = new JsonArray();
    for (int index : LISTING_ORDER) {
      latest.add(postItem(shortCode(username, index), username, index));
    }
    return new JsonObject()
        .put("inputUrl", "https://www.instagram.com/" + username)
        .put("id", "4242" + Math.abs(username.hashCode()))
        .put("username", username)
        .put("url", "https://www.instagram.com/" + username)
        .put("fullName", "Fake " + username)
        .put("biography", "Fake profile of " + username + " 🌍")
        .put("externalUrl", null)
        .put("followersCount", 12_345)
        .put("followsCount", 321)
        .put("hasChannel", false)
        .put("highlightReelCount", 2)
        .put("isBusinessAccount", false)
        .put("joinedRecently", false)
        .put("businessCategoryName", null)
        .put("private", false)
        .put("verified", true)
        .put("profilePicUrl", "https://cdn.example/" + username + ".jpg")
        .put("profilePicUrlHD", "https://cdn.example/" + username + "-hd.jpg")
        .put("igtvVideoCount", 2)
        .put("relatedProfiles", new JsonArray())
        .put("latestIgtvVideos", new JsonArray())
        .put("postsCount", 42)
        .put("latestPosts", latest);
  }

  /** The generated post item of index {@code index} (0 = pinned) without comments. */
  public static JsonObject postItem(String shortCode, String owner, int index) {
    Instant at = index == 0 ? PINNED_AT : REFERENCE.minusSeconds(index * 86_400L);
    String type = "Image";
    String productType = null;
    long likes = 100 - index;
    Long views = null;
    Long plays = null;
    switch (index) {
      case 0 -> likes = 99_999;
      case 1 -> {
        type = "Video";
        productType = "clips";
        likes = 500;
        views = 5_000L;
        plays = 9_000L;
      }
      case 2 -> {
        type = "Sidecar";
        likes = 200;
      }
      case 3 -> likes = -1;
      case 4 -> {
        type = "Video";
        productType = "igtv";
        views = 300L;
      }
      case 5 -> {
        type = "Video";
        productType = "feed";
        views = 250L;
      }
      default -> {
      }
    }
    JsonObject item = new JsonObject()
        .put("id", "3000" + Math.abs(shortCode.hashCode()))
        .put("type", type)
        .put("shortCode", shortCode)
        .put("caption", "Post " + index + " of " + owner + " #fake #tagged @friend")
        .put("hashtags", new JsonArray().add("fake").add("#tagged"))
        .put("mentions", new JsonArray().add("friend").add("@other"))
        .put("url", postUrl(shortCode))
        .put("commentsCount", COMMENTS_PER_POST)
        .put("firstComment", "")
        .put("latestComments", new JsonArray())
        .put("dimensionsHeight", 1080)
        .put("dimensionsWidth", 1080)
        .put("displayUrl", "https://cdn.example/" + shortCode + ".jpg")
        .put("images", new JsonArray())
        .put("alt", null)
        .put("likesCount", likes)
        .put("timestamp", at.toString().replace("Z", ".000Z"))
        .put("childPosts", new JsonArray())
        .put("ownerUsername", owner)
        .put("ownerId", "4242")
        .put("isPinned", index == 0);
    if (productType != null) {
      item.put("productType", productType);
    }
    if (views != null) {
      item.put("videoViewCount", views).put("videoDuration", 12.5);
    }
    if (plays != null) {
      item.put("videoPlayCount", plays);
    }
    return item;
  }

  /** The generated comment items of a post, newest first (see the class comment). */
  public static JsonArray commentItems(String shortCode, Instant postedAt) {
    JsonArray items = new JsonArray();
    for (int k = COMMENTS_PER_POST; k >= 1; k--) {
      items.add(new JsonObject()
          .put("id", shortCode + "-c" + k)
          .put("postUrl", postUrl(shortCode))
          .put("commentUrl", postUrl(shortCode) + "c/" + k)
          .put("text", COMMENT_TEXTS.get(k % COMMENT_TEXTS.size()))
          .put("ownerUsername", "fan_" + k)
          .put("ownerProfilePicUrl", "https://cdn.example/fan_" + k + ".jpg")
          .put("timestamp", postedAt.plusSeconds(60L * k).toString())
          .put("repliesCount", k % 4 == 0 ? 1 : 0)
          .put("replies", new JsonArray())
          .put("likesCount", (k * 7) % 13)
          .put("owner", new JsonObject().put("username", "fan_" + k).put("is_verified", false)));
    }
    return items;
  }

  public static JsonObject errorItem(String url) {
    return new JsonObject()
        .put("url", url)
        .put("error", "no_items")
        .put("errorDescription", "Empty or private data for provided input")
        .put("requestErrorMessages", new JsonArray().add("HTTP 404 Not found"));
  }

  // ---- serving ----

  private void handle(HttpServerRequest request) {
    int now = inFlight.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    AtomicBoolean done = new AtomicBoolean();
    Runnable finished = () -> {
      if (done.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    request.response().endHandler(v -> finished.run());
    request.response().closeHandler(v -> finished.run());
    request.connection().closeHandler(v -> finished.run());
    request.body().onComplete(body -> {
      Matcher path = RUN_SYNC.matcher(request.path());
      String actor = path.matches() ? path.group(1) : request.path();
      JsonObject input;
      try {
        input = body.succeeded() && body.result().length() > 0 ? body.result().toJsonObject() : new JsonObject();
      } catch (RuntimeException e) {
        input = new JsonObject();
      }
      JsonObject query = new JsonObject();
      request.params().forEach(e -> query.put(e.getKey(), e.getValue()));
      requests.add(new JsonObject().put("actor", actor).put("input", input).put("query", query)
          .put("at_ms", System.currentTimeMillis()));
      long wait = delayMillis.get();
      if (consume(delayTimes)) {
        wait = Math.max(wait, delayNextMillis.get());
      }
      JsonObject in = input;
      if (wait > 0) {
        vertx.setTimer(wait, id -> answer(request, path.matches(), actor, in));
      } else {
        answer(request, path.matches(), actor, in);
      }
    });
  }

  private void answer(HttpServerRequest request, boolean known, String actor, JsonObject input) {
    HttpServerResponse response = request.response();
    if (response.closed() || response.ended()) {
      return;
    }
    String auth = request.getHeader("Authorization");
    if (auth == null) {
      error(response, 401, "token-not-provided", "Authentication token was not provided");
    } else if (!("Bearer " + token).equals(auth)) {
      error(response, 401, "user-or-token-not-found", "User was not found or authentication token is not valid");
    } else if (usageLimit.get()) {
      error(response, 402, "not-enough-usage-to-run-paid-actor",
          "By launching this job you will exceed the memory limit of your plan");
    } else if ((failResultsType == null || failResultsType.equals(input.getString("resultsType")))
        && consume(failTimes)) {
      int status = failStatus.get();
      error(response, status, errorType(status), "Fake failure with HTTP " + status);
    } else if (consume(rateLimitTimes)) {
      response.putHeader("Retry-After", Integer.toString(retryAfterSeconds.get()));
      error(response, 429, "rate-limit-exceeded", "You have exceeded the rate limit of 30 requests per second");
    } else if (consume(dropTimes)) {
      request.connection().close();
    } else if (consume(malformedTimes)) {
      response.setStatusCode(201).putHeader("Content-Type", "application/json; charset=utf-8")
          .end("[{\"username\": \"broken\", \"latestPosts\": [{\"id\": ");
    } else if (!known || !(PROFILE_ACTOR.equals(actor) || SCRAPER_ACTOR.equals(actor))) {
      error(response, 404, "record-not-found", "Actor was not found");
    } else {
      dataset(response, actor, input);
    }
  }

  private void dataset(HttpServerResponse response, String actor, JsonObject input) {
    JsonArray items = new JsonArray();
    if (mixErrors.get()) {
      items.add(errorItem("https://www.instagram.com/some_gone_account"));
    }
    if (PROFILE_ACTOR.equals(actor)) {
      JsonArray names = input.getValue("usernames") instanceof JsonArray a ? a : null;
      if (names == null || names.isEmpty()) {
        error(response, 400, "invalid-input", "Input is not valid: Field input.usernames is required");
        return;
      }
      names.forEach(n -> items.add(profileFor(String.valueOf(n))));
    } else {
      JsonArray urls = input.getValue("directUrls") instanceof JsonArray a ? a : null;
      if (urls == null || urls.isEmpty()) {
        error(response, 400, "invalid-input", "Input is not valid: Field input.directUrls is required");
        return;
      }
      int limit = input.getInteger("resultsLimit", 200);
      for (Object url : urls) {
        Matcher m = SHORT_CODE.matcher(String.valueOf(url));
        String code = m.find() ? m.group(1) : null;
        if (code == null || errorKeys.contains(code.toLowerCase())) {
          items.add(errorItem(String.valueOf(url)));
        } else if ("comments".equals(input.getString("resultsType"))) {
          JsonArray all = commentsFor(code);
          for (int i = 0; i < Math.min(limit, all.size()); i++) {
            items.add(all.getValue(i));
          }
        } else {
          items.add(postFor(code));
        }
      }
    }
    response.setStatusCode(201).putHeader("Content-Type", "application/json; charset=utf-8").end(items.encode());
  }

  private Object profileFor(String username) {
    String key = username.toLowerCase();
    if (errorKeys.contains(key)) {
      return errorItem("https://www.instagram.com/" + username);
    }
    JsonObject item = profiles.containsKey(key) ? profiles.get(key).copy() : profileItem(username);
    if (privateNames.contains(key)) {
      item.put("private", true).put("latestPosts", new JsonArray());
    }
    return item;
  }

  private JsonObject postFor(String code) {
    if (posts.containsKey(code)) {
      return posts.get(code).copy();
    }
    Matcher m = GENERATED.matcher(code);
    JsonObject item = m.matches()
        ? postItem(code, m.group(2), Integer.parseInt(m.group(1)))
        : postItem(code, "fake.owner", 1);
    JsonArray carried = new JsonArray();
    JsonArray all = commentsFor(code);
    for (int i = 0; i < all.size() && carried.size() < CARRIED_COMMENTS; i++) {
      if (all.getValue(i) instanceof JsonObject c && c.getValue("error") == null) {
        carried.add(c);
      }
    }
    return item.put("latestComments", carried);
  }

  private JsonArray commentsFor(String code) {
    if (comments.containsKey(code)) {
      return comments.get(code).copy();
    }
    Matcher m = GENERATED.matcher(code);
    int index = m.matches() ? Integer.parseInt(m.group(1)) : 1;
    Instant at = index == 0 ? PINNED_AT : REFERENCE.minusSeconds(index * 86_400L);
    return commentItems(code, at);
  }

  private static void error(HttpServerResponse response, int status, String type, String message) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", new JsonObject().put("type", type).put("message", message)).encode());
  }

  private static String errorType(int status) {
    return switch (status) {
      case 400 -> "invalid-input";
      case 401 -> "user-or-token-not-found";
      case 402 -> "not-enough-usage-to-run-paid-actor";
      case 404 -> "record-not-found";
      case 408 -> "run-timeout-exceeded";
      case 429 -> "rate-limit-exceeded";
      default -> "internal-server-error";
    };
  }

  private static boolean consume(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Items as a list, for assertions. */
  public static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    array.forEach(o -> list.add((JsonObject) o));
    return list;
  }
}
