package ai.codvid.ai;

import ai.codvid.insights.SnapshotFigures;
import ai.codvid.tracking.SentimentSummary;
import ai.codvid.tracking.TaskKind;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The functions the assistant may call. Each answers from the stored tracking data of the
 * asking user only (another user's task is "not found"), as JSON the model (or the built-in
 * assistant) phrases; numbers are the stored ones or plain averages of them, never estimates.
 * A tool that cannot answer returns {@code {"error": "..."}} rather than failing the answer.
 */
public final class ChatTools {

  public static final String LIST_REEL_TASKS = "list_reel_tasks";
  public static final String LIST_PROFILES = "list_tracked_profiles";
  public static final String PROFILE_SUMMARY = "get_profile_summary";
  public static final String SENTIMENT_SUMMARY = "get_sentiment_summary";
  public static final String COMPARE_PROFILES = "compare_profiles";

  private static final int CAPTION_CHARS = 200;
  private static final int LATEST_POSTS = 3;

  private final TrackingTasks tasks;

  public ChatTools(TrackingTasks tasks) {
    this.tasks = tasks;
  }

  /** The Chat Completions {@code tools} array. */
  public static JsonArray definitions() {
    return new JsonArray()
        .add(function(LIST_REEL_TASKS,
            "List the reels tracked in this project with their latest metrics (likes, comments, views, plays) and comment sentiment.",
            new JsonObject()))
        .add(function(LIST_PROFILES,
            "List the Instagram profiles the user tracks (own and competitors), with followers and when they were last scraped.",
            new JsonObject()))
        .add(function(PROFILE_SUMMARY,
            "Summary of one tracked Instagram profile: followers, posts, engagement and its latest scraped posts with comment sentiment.",
            new JsonObject().put("profile", stringParam("Instagram username of a tracked profile, without @"))))
        .add(function(SENTIMENT_SUMMARY,
            "Comment sentiment summary (counts, percentages, overall) of a tracked profile or of a reel task.",
            new JsonObject()
                .put("profile", stringParam("Instagram username of a tracked profile"))
                .put("task_id", stringParam("id of a reel or profile tracking task"))))
        .add(function(COMPARE_PROFILES,
            "Compare two tracked profiles: followers, average likes and comments per post, engagement rate and comment sentiment.",
            new JsonObject()
                .put("profile_a", stringParam("first tracked username"))
                .put("profile_b", stringParam("second tracked username")),
            "profile_a", "profile_b"));
  }

  private static JsonObject function(String name, String description, JsonObject properties, String... required) {
    JsonObject parameters = new JsonObject().put("type", "object").put("properties", properties);
    if (required.length > 0) {
      parameters.put("required", new JsonArray(List.of((Object[]) required)));
    }
    return new JsonObject().put("type", "function").put("function", new JsonObject()
        .put("name", name).put("description", description).put("parameters", parameters));
  }

  private static JsonObject stringParam(String description) {
    return new JsonObject().put("type", "string").put("description", description);
  }

  /** Runs a tool for the user inside the project; {@code arguments} is the model's JSON text. */
  public Future<JsonObject> call(String userId, String project, String name, String arguments) {
    JsonObject args;
    try {
      args = arguments == null || arguments.isBlank() ? new JsonObject() : new JsonObject(arguments);
    } catch (DecodeException | ClassCastException e) {
      return Future.succeededFuture(error("The arguments are not a JSON object"));
    }
    Future<JsonObject> result = switch (name == null ? "" : name) {
      case LIST_REEL_TASKS -> reelTasks(userId, project);
      case LIST_PROFILES -> profiles(userId);
      case PROFILE_SUMMARY -> profileSummary(userId, text(args, "profile"));
      case SENTIMENT_SUMMARY -> sentiment(userId, text(args, "profile"), text(args, "task_id"));
      case COMPARE_PROFILES -> compare(userId, text(args, "profile_a"), text(args, "profile_b"));
      default -> Future.succeededFuture(error("Unknown tool " + name));
    };
    return result.recover(failure -> Future.succeededFuture(error(
        failure instanceof ai.codvid.CodvidException e ? e.getMessage() : "The data could not be read")));
  }

  // ---- tools ----

  Future<JsonObject> reelTasks(String userId, String project) {
    return tasks.listReels(userId, project).map(docs -> {
      JsonArray reels = new JsonArray();
      for (JsonObject doc : docs) {
        JsonObject data = doc.getJsonObject("reel_data");
        JsonObject reel = new JsonObject()
            .put("task_id", doc.getString("_id"))
            .put("reel_url", doc.getString("reel_url"))
            .put("reel_id", doc.getString("reel_id"))
            .put("status", doc.getString("status"))
            .put("last_scraped", doc.getLong("last_scraped"))
            .put("scraped", data != null);
        if (data != null) {
          reel.put("caption", shorten(data.getString("caption")))
              .put("owner_username", data.getString("owner_username"))
              .put("posted_at", data.getValue("timestamp"))
              .put("likes", data.getValue("likes"))
              .put("comments", data.getValue("comments"))
              .put("views", data.getValue("views"))
              .put("plays", data.getValue("plays"))
              .put("sentiment", SentimentSummary.of(SentimentSummary.comments(doc)));
        }
        if (doc.getJsonObject("last_error") != null) {
          reel.put("last_error", doc.getJsonObject("last_error").getString("message"));
        }
        reels.add(reel);
      }
      return new JsonObject().put("project_name", project).put("total_reels", reels.size()).put("reels", reels);
    });
  }

  Future<JsonObject> profiles(String userId) {
    return tasks.listProfiles(userId).compose(docs -> {
      List<Future<JsonObject>> details = docs.stream()
          .map(doc -> tasks.find(TaskKind.PROFILE, userId, doc.getString("_id"))).toList();
      return Future.all(details).map(all -> {
        JsonArray profiles = new JsonArray();
        for (int i = 0; i < docs.size(); i++) {
          JsonObject doc = all.resultAt(i);
          JsonObject data = doc.getJsonObject("target_profile_data");
          profiles.add(new JsonObject()
              .put("task_id", doc.getString("_id"))
              .put("username", doc.getString("target_profile"))
              .put("is_competitor", doc.getBoolean("is_competitor", false))
              .put("status", doc.getString("status"))
              .put("last_scraped", doc.getLong("last_scraped"))
              .put("scraped", data != null)
              .put("followers", data == null ? null : data.getValue("followers")));
        }
        return new JsonObject().put("total_profiles", profiles.size()).put("profiles", profiles);
      });
    });
  }

  Future<JsonObject> profileSummary(String userId, String profile) {
    if (profile == null) {
      return Future.succeededFuture(error("Give the profile's username"));
    }
    return profileDoc(userId, profile).map(doc -> doc == null ? unknownProfile(profile) : summary(doc, true));
  }

  Future<JsonObject> sentiment(String userId, String profile, String taskId) {
    if (taskId != null) {
      return tasks.locate(userId, taskId).map(found -> new JsonObject()
          .put("task_id", taskId)
          .put("kind", found.kind().wireName())
          .put(found.kind() == TaskKind.PROFILE ? "username" : "reel_url",
              found.doc().getString(found.kind() == TaskKind.PROFILE ? "target_profile" : "reel_url"))
          .put("last_scraped", found.doc().getLong("last_scraped"))
          .put("sentiment_summary", SentimentSummary.of(SentimentSummary.comments(found.doc()))));
    }
    if (profile == null) {
      return Future.succeededFuture(error("Give a profile username or a task_id"));
    }
    return profileDoc(userId, profile).map(doc -> doc == null ? unknownProfile(profile) : new JsonObject()
        .put("task_id", doc.getString("_id"))
        .put("kind", "profile")
        .put("username", doc.getString("target_profile"))
        .put("last_scraped", doc.getLong("last_scraped"))
        .put("sentiment_summary", SentimentSummary.of(SentimentSummary.comments(doc))));
  }

  Future<JsonObject> compare(String userId, String a, String b) {
    if (a == null || b == null) {
      return Future.succeededFuture(error("Give two usernames: profile_a and profile_b"));
    }
    return profileDoc(userId, a).compose(docA -> profileDoc(userId, b).map(docB -> {
      if (docA == null) {
        return unknownProfile(a);
      }
      if (docB == null) {
        return unknownProfile(b);
      }
      JsonObject first = summary(docA, false);
      JsonObject second = summary(docB, false);
      JsonObject differences = new JsonObject();
      for (String key : List.of("followers", "avg_likes_per_post", "avg_comments_per_post", "engagement_per_post")) {
        Object x = first.getValue(key);
        Object y = second.getValue(key);
        differences.put(key + "_a_minus_b", x instanceof Number nx && y instanceof Number ny
            ? round1(nx.doubleValue() - ny.doubleValue()) : null);
      }
      return new JsonObject().put("profile_a", first).put("profile_b", second).put("differences", differences);
    }));
  }

  // ---- shapes ----

  /** The profile's numbers; averages over the scraped (latest) posts whose counts are known. */
  static JsonObject summary(JsonObject doc, boolean withPosts) {
    JsonObject data = doc.getJsonObject("target_profile_data");
    JsonObject out = new JsonObject()
        .put("task_id", doc.getString("_id"))
        .put("username", doc.getString("target_profile"))
        .put("is_competitor", doc.getBoolean("is_competitor", false))
        .put("last_scraped", doc.getLong("last_scraped"))
        .put("scraped", data != null);
    if (data == null) {
      return out;
    }
    JsonArray posts = data.getJsonArray("scraped_posts", new JsonArray());
    JsonObject figures = SnapshotFigures.latest(TaskKind.PROFILE, data); // the numbers of the insights endpoint
    out.put("full_name", data.getString("full_name"))
        .put("followers", data.getValue("followers"))
        .put("following", data.getValue("following"))
        .put("posts_count", data.getValue("posts_count"))
        .put("is_private", data.getValue("is_private"))
        .put("posts_analysed", posts.size())
        .put("avg_likes_per_post", figures.getValue("avg_likes"))
        .put("avg_comments_per_post", figures.getValue("avg_comments"))
        .put("engagement_per_post", figures.getValue("avg_engagement"))
        .put("engagement_rate_percent", figures.getValue("engagement_rate"))
        .put("posts_with_hidden_likes", figures.getValue("posts_with_hidden_likes"))
        .put("net_sentiment", figures.getValue("net_sentiment"))
        .put("sentiment", SentimentSummary.of(SentimentSummary.comments(doc)));
    if (withPosts) {
      JsonArray latest = new JsonArray();
      for (int i = 0; i < Math.min(LATEST_POSTS, posts.size()); i++) {
        JsonObject post = posts.getJsonObject(i);
        List<JsonObject> postComments = new java.util.ArrayList<>();
        post.getJsonArray("top_comments", new JsonArray()).forEach(c -> postComments.add((JsonObject) c));
        latest.add(new JsonObject()
            .put("post_url", post.getString("post_url"))
            .put("type", post.getString("type"))
            .put("posted_at", post.getValue("timestamp"))
            .put("caption", shorten(post.getString("caption")))
            .put("likes", post.getValue("likes_count"))
            .put("comments", post.getValue("comments_count"))
            .put("views", post.getValue("video_view_count"))
            .put("plays", post.getValue("video_play_count"))
            .put("sentiment", SentimentSummary.of(postComments)));
      }
      out.put("latest_posts", latest);
    }
    return out;
  }

  private Future<JsonObject> profileDoc(String userId, String profile) {
    String wanted = profile.strip().replaceFirst("^@", "").toLowerCase(Locale.ROOT);
    return tasks.listProfiles(userId).compose(docs -> {
      for (JsonObject doc : docs) {
        if (wanted.equals(doc.getString("target_profile", "").toLowerCase(Locale.ROOT))) {
          return tasks.find(TaskKind.PROFILE, userId, doc.getString("_id"));
        }
      }
      return Future.succeededFuture(null);
    });
  }

  private static JsonObject unknownProfile(String profile) {
    return error("@" + profile.replaceFirst("^@", "") + " is not a tracked profile");
  }

  static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static String shorten(String text) {
    if (text == null || text.codePointCount(0, text.length()) <= CAPTION_CHARS) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, CAPTION_CHARS)) + "…";
  }

  private static String text(JsonObject args, String key) {
    Object value = args.getValue(key);
    return value instanceof String s && !s.isBlank() ? s.strip() : null;
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }
}
