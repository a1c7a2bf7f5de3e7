package ai.codvid.insights;

import ai.codvid.sentiment.Sentiment;
import ai.codvid.tracking.TaskKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one history snapshot, computed from its stored data: the {@link ScrapePoint}
 * (followers, each post's counts, sentiment counts) and each comment's {@link CommentPoint}.
 * They are computed once, when the scrape is stored, and kept in the snapshot under
 * {@code figures}; a snapshot stored before (or with an older {@link #VERSION}) is computed from
 * its data when read. A field the data lacks is unknown (null), never 0.
 */
public final class SnapshotFigures {

  /** Bumped when the definitions change, so stored figures of an older version are recomputed. */
  public static final int VERSION = 1;

  private SnapshotFigures() {
  }

  /**
   * The {@code figures} field of a new snapshot: what each comment talks about (segmenting text
   * is the costly part, so it is done once). The point itself is cheap to compute from the data
   * and is kept in the task's series instead.
   */
  public static JsonObject of(TaskKind kind, JsonObject data, TextFeatures text) {
    JsonArray comments = new JsonArray();
    comments(kind, data, text).forEach(c -> comments.add(c.toJson()));
    return new JsonObject().put("v", VERSION).put("comments", comments);
  }

  /**
   * The {@code latest} figures of insights for a task's current data (its last scrape): ER,
   * averages per post, sentiment shares. The AI chat's tools read these, so they report the same
   * numbers as the insights endpoint.
   */
  public static JsonObject latest(TaskKind kind, JsonObject data) {
    return Metrics.latest(point(kind, data, null, 0, 0));
  }

  /** The point of a stored snapshot, computed from its data. */
  public static ScrapePoint pointOf(JsonObject snapshot) {
    return point(kind(snapshot), snapshot.getJsonObject("data", new JsonObject()), snapshot.getString("_id"),
        snapshot.getLong("scraped_at", 0L), snapshot.getLong("scraped_at_ms", snapshot.getLong("scraped_at", 0L) * 1000));
  }

  /** The comments of a stored snapshot: its figures when current, else computed from its data. */
  public static List<CommentPoint> commentsOf(JsonObject snapshot, TextFeatures text) {
    JsonObject figures = current(snapshot);
    if (figures != null && figures.getJsonArray("comments") != null) {
      List<CommentPoint> out = new ArrayList<>();
      figures.getJsonArray("comments").forEach(c -> out.add(CommentPoint.fromJson((JsonObject) c)));
      return out;
    }
    return comments(kind(snapshot), snapshot.getJsonObject("data", new JsonObject()), text);
  }

  private static JsonObject current(JsonObject snapshot) {
    JsonObject figures = snapshot.getJsonObject("figures");
    return figures != null && figures.getInteger("v", 0) == VERSION ? figures : null;
  }

  private static TaskKind kind(JsonObject snapshot) {
    return TaskKind.REEL.wireName().equals(snapshot.getString("kind")) ? TaskKind.REEL : TaskKind.PROFILE;
  }

  static ScrapePoint point(TaskKind kind, JsonObject data, String snapshotId, long scrapedAt, long scrapedAtMs) {
    List<PostPoint> posts = new ArrayList<>();
    for (JsonObject post : posts(kind, data)) {
      posts.add(post(kind, post));
    }
    int positive = 0;
    int negative = 0;
    int neutral = 0;
    for (PostPoint p : posts) {
      positive += p.positive();
      negative += p.negative();
      neutral += p.neutral();
    }
    Long followers = kind == TaskKind.PROFILE ? count(data, "followers") : null;
    return new ScrapePoint(snapshotId, scrapedAt, scrapedAtMs, followers, List.copyOf(posts), positive, negative, neutral);
  }

  static List<CommentPoint> comments(TaskKind kind, JsonObject data, TextFeatures text) {
    List<CommentPoint> out = new ArrayList<>();
    for (JsonObject post : posts(kind, data)) {
      for (JsonObject comment : topComments(post)) {
        String body = comment.getValue("text") instanceof String s ? s : "";
        String language = comment.getValue("language") instanceof String s ? s : null;
        TextFeatures.Features features = text.of(body, language);
        out.add(new CommentPoint(key(post, comment, body), label(comment), language,
            features.terms(), features.emoji(), features.hashtags()));
      }
    }
    return out;
  }

  /** The posts of the data: a profile's scraped posts, or the reel itself. */
  static List<JsonObject> posts(TaskKind kind, JsonObject data) {
    List<JsonObject> posts = new ArrayList<>();
    if (data == null) {
      return posts;
    }
    if (kind == TaskKind.REEL) {
      posts.add(data);
    } else if (data.getValue("scraped_posts") instanceof JsonArray array) {
      array.forEach(p -> {
        if (p instanceof JsonObject post) {
          posts.add(post);
        }
      });
    }
    return posts;
  }

  static List<JsonObject> topComments(JsonObject post) {
    List<JsonObject> comments = new ArrayList<>();
    if (post.getValue("top_comments") instanceof JsonArray array) {
      array.forEach(c -> {
        if (c instanceof JsonObject comment) {
          comments.add(comment);
        }
      });
    }
    return comments;
  }

  /**
   * A post's point. A profile's posts carry {@code likes_count}, {@code comments_count},
   * {@code video_play_count}, {@code video_view_count}; a reel task's data {@code likes},
   * {@code comments}, {@code plays}, {@code views}. A like count stored as null is hidden; one
   * not stored at all is unknown.
   */
  static PostPoint post(TaskKind kind, JsonObject post) {
    boolean reel = kind == TaskKind.REEL;
    String likesKey = reel ? "likes" : "likes_count";
    Long likes = count(post, likesKey);
    boolean hidden = likes == null && post.containsKey(likesKey);
    Long plays = count(post, reel ? "plays" : "video_play_count");
    Long views = plays != null ? plays : count(post, reel ? "views" : "video_view_count");
    int[] labels = new int[3];
    for (JsonObject comment : topComments(post)) {
      String label = label(comment);
      labels[label.equals(Sentiment.POSITIVE) ? 0 : label.equals(Sentiment.NEGATIVE) ? 1 : 2]++;
    }
    return new PostPoint(post.getString("post_id", post.getString("short_code")), post.getString("post_url"),
        post.getString("type"), count(post, "timestamp"), likes, hidden, count(post, reel ? "comments" : "comments_count"),
        views, labels[0], labels[1], labels[2]);
  }

  /** The label as the sentiment summary reads it: anything but positive or negative is neutral. */
  static String label(JsonObject comment) {
    String label = comment.getValue("sentiment") instanceof String s ? s : Sentiment.NEUTRAL;
    return label.equals(Sentiment.POSITIVE) || label.equals(Sentiment.NEGATIVE) ? label : Sentiment.NEUTRAL;
  }

  private static String key(JsonObject post, JsonObject comment, String body) {
    Object id = comment.getValue("comment_id");
    if (id != null && !String.valueOf(id).isBlank()) {
      return String.valueOf(id);
    }
    return post.getString("post_id", "") + "|" + comment.getString("owner_username", "") + "|" + body;
  }

  /** A count ≥ 0, or null when missing, null, negative or not a number. */
  static Long count(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n && n.longValue() >= 0 ? n.longValue() : null;
  }
}
