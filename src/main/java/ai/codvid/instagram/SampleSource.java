package ai.codvid.instagram;

import ai.codvid.CodvidException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The offline source used when no Apify token is configured, so a new user sees the whole
 * product work. It is an offline Apify: it builds dataset items in Apify's exact format (pinned
 * old post listed first, {@code likesCount: -1} when hidden, reels with view and play counts,
 * ISO-8601 timestamps, profile posts without comments) and maps them with {@link ApifyMapping}
 * and {@link ScrapeRule}, so everything downstream sees what the real source would give. Every
 * record is labelled {@code source: "sample"}.
 *
 * <p>Deterministic: the data of a username is a pure function of the name and the current UTC
 * day. A profile posts every 1–3 days (its cadence comes from the name); each post lives on a
 * fixed day, so it keeps its id, time, caption and comments from one day to the next while its
 * likes, views and comment count grow with age and new posts appear as days pass. Every third
 * slot is a reel (others may be too), and one post in any 11 consecutive ones hides its likes. A post's id
 * encodes its time and traits the way Instagram's media ids do, so fetching a sample post by
 * its URL gives the same post. Any valid reel or post URL gives a post too.
 *
 * <p>Conventions: {@value #PRIVATE_USERNAME} is a private profile (info, no posts);
 * {@value #MISSING_USERNAME} does not exist (NOT_FOUND), like an all-error Apify dataset.
 */
public final class SampleSource implements InstagramSource {

  public static final String SOURCE = "sample";
  public static final String PRIVATE_USERNAME = "private_sample";
  public static final String MISSING_USERNAME = "missing_sample";
  /** Comments a sample comments fetch returns at most, like {@code apify.comments_results_limit}. */
  public static final int COMMENTS_FETCH_LIMIT = 50;

  private static final long DAY = 86_400;
  /** Instagram's media-id epoch (2011-08-24T21:07:01.721Z) in milliseconds. */
  private static final long IG_EPOCH_MS = 1_314_220_021_721L;
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final int RECENT_POSTS = 11;
  private static final int KIND_POST = 0;
  private static final int KIND_REEL = 1;
  private static final int KIND_CAROUSEL = 2;

  private final Clock clock;

  public SampleSource() {
    this(Clock.systemUTC());
  }

  /** A sample source whose "today" comes from {@code clock} (tests pin the day). */
  public SampleSource(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return SOURCE;
  }

  @Override
  public Future<InstagramProfile> fetchProfile(String username, RetryListener listener) {
    try {
      String name = InstagramNames.normalizeUsername(username);
      if (MISSING_USERNAME.equals(name)) {
        throw CodvidException.notFound("Instagram profile '" + name + "' not found or private");
      }
      return Future.succeededFuture(ApifyMapping.profile(profileItem(name), name, SOURCE));
    } catch (CodvidException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<InstagramPost> fetchPost(String postUrl, RetryListener listener) {
    try {
      String id = InstagramNames.reelId(postUrl);
      boolean reelUrl = postUrl.toLowerCase(Locale.ROOT).matches(".*instagram\\.com/(?:[^/]+/)?reels?/.*");
      return Future.succeededFuture(ApifyMapping.post(postItem(id, null, reelUrl), null, SOURCE));
    } catch (CodvidException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<List<InstagramComment>> fetchComments(String postUrl, int limit, RetryListener listener) {
    try {
      String id = InstagramNames.reelId(postUrl);
      return Future.succeededFuture(commentItems(id, limit).stream().map(ApifyMapping::comment).toList());
    } catch (CodvidException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<InstagramProfile> scrapeProfile(String username, int posts, int comments, RetryListener listener) {
    return ScrapeRule.scrapeProfile(this, username, posts, comments, COMMENTS_FETCH_LIMIT, listener);
  }

  @Override
  public Future<InstagramPost> scrapePost(String postUrl, int comments, RetryListener listener) {
    return ScrapeRule.scrapePost(this, postUrl, comments, COMMENTS_FETCH_LIMIT, listener);
  }

  // ---- Apify-shaped items ----

  /** The profile item Apify's profile scraper would return for {@code name}. */
  public JsonObject profileItem(String name) {
    long seed = hash(name);
    SplittableRandom r = new SplittableRandom(seed);
    int tier = r.nextInt(8);
    long followers = followersOf(tier, r);
    boolean isPrivate = PRIVATE_USERNAME.equals(name);
    JsonArray latest = new JsonArray();
    if (!isPrivate) {
      latest.add(postItem(pinnedCode(name, seed, tier), name, false).put("isPinned", true));
      long today = today();
      int cadence = 1 + (int) Math.floorMod(seed, 3L);
      long lastSlot = Math.floorDiv(today - 1, cadence);
      for (int j = 0; j < RECENT_POSTS; j++) {
        long slot = lastSlot - j;
        SplittableRandom pr = new SplittableRandom(mix(seed, slot));
        long at = slot * cadence * DAY + 8 * 3600 + pr.nextLong(14 * 3600);
        int roll = pr.nextInt(12);
        int kind = Math.floorMod(slot, 3L) == 0 || roll < 2 ? KIND_REEL : roll < 5 ? KIND_CAROUSEL : KIND_POST;
        boolean hidden = Math.floorMod(slot, (long) RECENT_POSTS) == Math.floorMod(seed, (long) RECENT_POSTS);
        latest.add(postItem(encode(at, traits(kind, hidden, tier, pr.nextInt(1 << 17))), name, false));
      }
    }
    String full = fullName(name);
    return new JsonObject()
        .put("inputUrl", "https://www.instagram.com/" + name)
        .put("id", Long.toString(1_000_000_000L + Math.floorMod(seed, 60_000_000_000L)))
        .put("username", name)
        .put("url", "https://www.instagram.com/" + name)
        .put("fullName", full)
        .put("biography", pick(SampleLibrary.BIOGRAPHIES, r))
        .put("followersCount", followers)
        .put("followsCount", 80 + r.nextInt(1500))
        .put("postsCount", RECENT_POSTS + 1 + r.nextInt(1500))
        .put("igtvVideoCount", r.nextInt(6))
        .put("profilePicUrl", avatar(full, seed))
        .put("profilePicUrlHD", avatar(full, seed))
        .put("private", isPrivate)
        .put("verified", followers > 500_000 && r.nextInt(3) > 0)
        .put("isBusinessAccount", r.nextBoolean())
        .put("latestPosts", latest);
  }

  /**
   * The post item of a short code. A code this source made carries its time and traits; any
   * other valid code gets a time within the last 30 days and traits from its hash.
   */
  public JsonObject postItem(String shortCode, String owner, boolean forceReel) {
    long today = today();
    Decoded d = decode(shortCode, today);
    SplittableRandom r = new SplittableRandom(mix(hash(shortCode), 7));
    int kind = forceReel ? KIND_REEL : d.kind;
    long followers = followersOf(d.tier, new SplittableRandom(d.tier));
    double ageDays = Math.max(0.0, (today * DAY - d.at) / (double) DAY);
    double grown = 1 - Math.exp(-(ageDays + 0.2) / 2.0);
    long likes = Math.round(followers * (0.01 + r.nextDouble() * 0.06) * grown) + r.nextInt(20);
    long comments = Math.min(240, Math.round(likes * (0.004 + r.nextDouble() * 0.02)) + r.nextInt(4));
    String ownerName = owner != null ? owner : pick(SampleLibrary.CREATORS, new SplittableRandom(hash(shortCode)));
    List<String> tags = new ArrayList<>();
    int tagCount = r.nextInt(4);
    for (int i = 0; i < tagCount; i++) {
      String tag = pick(SampleLibrary.HASHTAGS, r);
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    List<String> mentions = r.nextInt(4) == 0 ? List.of(pick(SampleLibrary.CREATORS, r)) : List.of();
    StringBuilder caption = new StringBuilder(pick(SampleLibrary.CAPTIONS, r));
    mentions.forEach(m -> caption.append(" with @").append(m));
    tags.forEach(t -> caption.append(" #").append(t));
    JsonObject item = new JsonObject()
        .put("id", Long.toUnsignedString(mediaId(shortCode, d)))
        .put("type", kind == KIND_CAROUSEL ? "Sidecar" : kind == KIND_REEL ? "Video" : "Image")
        .put("shortCode", shortCode)
        .put("caption", caption.toString())
        .put("hashtags", new JsonArray(tags))
        .put("mentions", new JsonArray(mentions))
        .put("url", "https://www.instagram.com/p/" + shortCode + "/")
        .put("commentsCount", comments)
        .put("likesCount", d.hiddenLikes ? -1 : likes)
        .put("timestamp", Instant.ofEpochSecond(d.at).toString())
        .put("ownerUsername", ownerName)
        .put("isPinned", false)
        .put("latestComments", new JsonArray());
    if (kind == KIND_REEL) {
      long views = Math.round(likes * (6 + r.nextDouble() * 14));
      item.put("productType", "clips")
          .put("videoViewCount", views)
          .put("videoPlayCount", Math.round(views * (1.3 + r.nextDouble())))
          .put("videoDuration", 7 + r.nextInt(80));
    } else {
      item.put("productType", kind == KIND_CAROUSEL ? "carousel_container" : "feed");
    }
    return item;
  }

  /** Up to {@code limit} comment items of a post, newest first, as the comments call returns them. */
  public List<JsonObject> commentItems(String shortCode, int limit) {
    JsonObject post = postItem(shortCode, null, false);
    long postedAt = ApifyMapping.epochSeconds(post.getValue("timestamp"));
    long asOf = Math.max(postedAt + 60, today() * DAY);
    int count = (int) Math.min(Math.max(0, limit), post.getLong("commentsCount"));
    long popularity = Math.max(1, post.getLong("commentsCount"));
    long seed = hash(shortCode);
    List<JsonObject> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SplittableRandom r = new SplittableRandom(mix(seed, 1000 + i));
      double u = r.nextDouble();
      long at = postedAt + 30 + Math.round((asOf - postedAt - 30) * u * u);
      long likes = Math.max(0, Math.round(Math.expm1(r.nextDouble() * r.nextDouble() * Math.log(popularity * 4.0 + 1))));
      items.add(new JsonObject()
          .put("id", Long.toString(17_800_000_000_000_000L + Math.floorMod(mix(seed, i), 99_999_999_999_999L)))
          .put("text", commentText(r))
          .put("ownerUsername", commenter(r))
          .put("timestamp", Instant.ofEpochSecond(at).toString())
          .put("likesCount", likes)
          .put("repliesCount", r.nextInt(10) == 0 ? 1 + r.nextInt(5) : 0)
          .put("replies", new JsonArray())
          .put("postUrl", "https://www.instagram.com/p/" + shortCode + "/"));
    }
    items.sort((a, b) -> b.getString("timestamp").compareTo(a.getString("timestamp")));
    return items;
  }

  private long today() {
    return Math.floorDiv(clock.instant().getEpochSecond(), DAY);
  }

  private String pinnedCode(String name, long seed, int tier) {
    SplittableRandom r = new SplittableRandom(mix(seed, -1));
    long at = (18_700 + r.nextInt(700)) * DAY + 10 * 3600 + r.nextInt(10 * 3600);
    return encode(at, traits(r.nextBoolean() ? KIND_REEL : KIND_POST, false, tier, r.nextInt(1 << 17)));
  }

  private static String commentText(SplittableRandom r) {
    int roll = r.nextInt(100);
    if (roll < 38) {
      return pick(SampleLibrary.POSITIVE, r);
    }
    if (roll < 55) {
      return pick(SampleLibrary.NEGATIVE, r);
    }
    if (roll < 80) {
      return pick(SampleLibrary.NEUTRAL, r);
    }
    if (roll < 93) {
      return pick(SampleLibrary.EMOJI_ONLY, r);
    }
    return SampleLibrary.GIF;
  }

  private static String commenter(SplittableRandom r) {
    String name = pick(SampleLibrary.NAME_PARTS, r) + pick(SampleLibrary.NAME_SUFFIXES, r);
    return r.nextBoolean() ? name + r.nextInt(100) : name;
  }

  private static String fullName(String username) {
    StringBuilder full = new StringBuilder();
    for (String part : username.replaceAll("[0-9]", "").split("[._]+")) {
      if (!part.isEmpty()) {
        full.append(full.length() == 0 ? "" : " ")
            .append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return full.length() == 0 ? "Sample Creator" : full.toString();
  }

  private static String avatar(String fullName, long seed) {
    String initials = fullName.chars().filter(Character::isUpperCase).limit(2)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    String svg = "<svg xmlns='http://www.w3.org/2000/svg' width='150' height='150'>"
        + "<rect width='150' height='150' fill='hsl(" + Math.floorMod(seed, 360) + ",55%,55%)'/>"
        + "<text x='75' y='92' font-size='56' text-anchor='middle' fill='white' font-family='sans-serif'>"
        + (initials.isEmpty() ? "S" : initials) + "</text></svg>";
    return "data:image/svg+xml," + URLEncoder.encode(svg, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static long followersOf(int tier, SplittableRandom r) {
    return Math.round(Math.pow(10, 3 + tier * 0.45 + r.nextDouble() * 0.45));
  }

  // ---- short codes: Instagram-style media ids = (ms since IG epoch) << 23 | 23 bits of traits ----

  private record Decoded(long at, int kind, boolean hiddenLikes, int tier) {
  }

  private static int traits(int kind, boolean hidden, int tier, int noise) {
    return kind | (hidden ? 4 : 0) | (tier << 3) | (noise << 6);
  }

  private static String encode(long epochSeconds, int traits) {
    long id = ((epochSeconds * 1000 - IG_EPOCH_MS) << 23) | (traits & 0x7FFFFF);
    StringBuilder code = new StringBuilder();
    while (id != 0) {
      code.append(ALPHABET.charAt((int) (id & 63)));
      id >>>= 6;
    }
    return code.reverse().toString();
  }

  private static Decoded decode(String shortCode, long today) {
    if (shortCode.length() <= 11) {
      long id = 0;
      for (char c : shortCode.toCharArray()) {
        id = (id << 6) | ALPHABET.indexOf(c);
      }
      long at = ((id >>> 23) + IG_EPOCH_MS) / 1000;
      if (id > 0 && at > IG_EPOCH_MS / 1000 && at < today * DAY) {
        int t = (int) (id & 0x7FFFFF);
        return new Decoded(at, Math.min(t & 3, KIND_CAROUSEL), (t & 4) != 0, (t >> 3) & 7);
      }
    }
    SplittableRandom r = new SplittableRandom(hash(shortCode));
    long at = today * DAY - DAY / 2 - r.nextLong(30 * DAY);
    return new Decoded(at, r.nextInt(3), r.nextInt(12) == 0, r.nextInt(8));
  }

  private static long mediaId(String shortCode, Decoded d) {
    return ((d.at * 1000 - IG_EPOCH_MS) << 23) | (hash(shortCode) & 0x7FFFFF);
  }

  private static <T> T pick(List<T> items, SplittableRandom r) {
    return items.get(r.nextInt(items.size()));
  }

  /** FNV-1a over the UTF-8 bytes: stable across JVMs and versions, unlike {@code String.hashCode} mixing. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long seed, long salt) {
    long z = seed + salt * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
