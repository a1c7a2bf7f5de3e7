package ai.codvid.ai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The built-in assistant used when no language model is configured. It calls the same tools
 * as a model would ({@link #plan}: the project's reels and the tracked profiles, plus the
 * profiles the question names, compared when it asks for a comparison) and phrases what they
 * returned ({@link #report}); every number in its answer is one a tool returned.
 */
public final class OfflineAssistant {

  static final String CONFIGURE_HINT = "I am the built-in assistant, so I report the tracked data as it is stored. "
      + "For free-form answers, configure a language model (CODVID_LLM_BASE_URL, CODVID_LLM_MODEL and CODVID_LLM_API_KEY).";
  private static final Pattern COMPARE = Pattern.compile("compar|\\bvs\\.?\\b|versus|against|better", Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /** The first calls: reels of the project and tracked profiles. */
  static List<ToolCall> firstCalls() {
    return List.of(new ToolCall("builtin_reels", ChatTools.LIST_REEL_TASKS, "{}"),
        new ToolCall("builtin_profiles", ChatTools.LIST_PROFILES, "{}"));
  }

  /** Follow-up calls for the tracked profiles the question names, in its order (the first two compared when it asks for a comparison). */
  static List<ToolCall> plan(String question, JsonObject profiles) {
    java.util.TreeMap<Integer, String> byPosition = new java.util.TreeMap<>();
    String lower = question.toLowerCase(Locale.ROOT);
    for (Object p : profiles.getJsonArray("profiles", new JsonArray())) {
      String username = ((JsonObject) p).getString("username", "");
      java.util.regex.Matcher mention = Pattern.compile("(^|[^a-z0-9._])@?" + Pattern.quote(username.toLowerCase(Locale.ROOT)) + "($|[^a-z0-9_])")
          .matcher(lower);
      if (!username.isEmpty() && mention.find()) {
        byPosition.put(mention.start(), username);
      }
    }
    List<String> named = new ArrayList<>(byPosition.values());
    List<ToolCall> calls = new ArrayList<>();
    if (named.size() >= 2 && COMPARE.matcher(question).find()) {
      calls.add(new ToolCall("builtin_compare", ChatTools.COMPARE_PROFILES,
          new JsonObject().put("profile_a", named.get(0)).put("profile_b", named.get(1)).encode()));
    } else {
      for (int i = 0; i < Math.min(3, named.size()); i++) {
        calls.add(new ToolCall("builtin_profile_" + i, ChatTools.PROFILE_SUMMARY, new JsonObject().put("profile", named.get(i)).encode()));
      }
    }
    return calls;
  }

  /** The answer, in paragraphs, from the tools' results (in the order they were called). */
  static List<String> report(String project, JsonObject reels, JsonObject profiles, List<JsonObject> details) {
    List<String> paragraphs = new ArrayList<>();
    paragraphs.add(reelsParagraph(project, reels));
    paragraphs.add(profilesParagraph(profiles));
    for (JsonObject detail : details) {
      if (detail.containsKey("error")) {
        paragraphs.add(detail.getString("error") + ".");
      } else if (detail.containsKey("profile_a")) {
        paragraphs.add(comparison(detail));
      } else {
        paragraphs.add(profileDetail(detail));
      }
    }
    paragraphs.add(CONFIGURE_HINT);
    return paragraphs;
  }

  private static String reelsParagraph(String project, JsonObject result) {
    if (result.containsKey("error")) {
      return "I could not read the reels of project \"" + project + "\": " + result.getString("error") + ".";
    }
    JsonArray reels = result.getJsonArray("reels", new JsonArray());
    if (reels.isEmpty()) {
      return "Project \"" + project + "\" has no tracked reels yet. Add one with create_reel_task and I can report its likes, views and comment sentiment.";
    }
    StringBuilder text = new StringBuilder("Project \"" + project + "\" tracks " + count(reels.size(), "reel", "reels") + ":");
    int n = 1;
    for (Object r : reels) {
      JsonObject reel = (JsonObject) r;
      text.append("\n").append(n++).append(". ").append(reel.getString("reel_url"));
      if (!reel.getBoolean("scraped", false)) {
        text.append(" — not scraped yet").append(reel.getString("last_error") == null ? "." : " (last attempt failed: " + reel.getString("last_error") + ").");
        continue;
      }
      text.append(" (scraped ").append(date(reel.getLong("last_scraped"))).append("): ")
          .append(metrics(reel.getValue("likes"), "like", "likes")).append(", ")
          .append(metrics(reel.getValue("comments"), "comment", "comments")).append(", ")
          .append(metrics(reel.getValue("views"), "view", "views")).append(", ")
          .append(metrics(reel.getValue("plays"), "play", "plays")).append(". ")
          .append(sentiment(reel.getJsonObject("sentiment")));
    }
    return text.toString();
  }

  private static String profilesParagraph(JsonObject result) {
    if (result.containsKey("error")) {
      return "I could not read your tracked profiles: " + result.getString("error") + ".";
    }
    JsonArray profiles = result.getJsonArray("profiles", new JsonArray());
    if (profiles.isEmpty()) {
      return "You do not track any Instagram profiles yet.";
    }
    StringBuilder text = new StringBuilder("You track " + count(profiles.size(), "profile", "profiles") + ":");
    for (Object p : profiles) {
      JsonObject profile = (JsonObject) p;
      text.append("\n- @").append(profile.getString("username"))
          .append(profile.getBoolean("is_competitor", false) ? " (competitor)" : "");
      if (profile.getBoolean("scraped", false)) {
        text.append(": ").append(metrics(profile.getValue("followers"), "follower", "followers"))
            .append(", scraped ").append(date(profile.getLong("last_scraped"))).append(".");
      } else {
        text.append(": not scraped yet.");
      }
    }
    text.append("\nName a profile in your question for its latest posts, or two of them with \"compare\" for a comparison.");
    return text.toString();
  }

  private static String profileDetail(JsonObject p) {
    if (!p.getBoolean("scraped", false)) {
      return "@" + p.getString("username") + " has not been scraped yet.";
    }
    StringBuilder text = new StringBuilder("@" + p.getString("username") + ": ")
        .append(metrics(p.getValue("followers"), "follower", "followers"))
        .append(", ").append(metrics(p.getValue("posts_count"), "post", "posts")).append(" in total. ")
        .append("Over the ").append(count(p.getInteger("posts_analysed", 0), "latest post", "latest posts")).append(": ")
        .append(number(p.getValue("avg_likes_per_post"))).append(" likes and ")
        .append(number(p.getValue("avg_comments_per_post"))).append(" comments per post on average")
        .append(p.getValue("engagement_rate_percent") == null ? "" : " (engagement rate " + number(p.getValue("engagement_rate_percent")) + " % of followers)")
        .append(". ").append(sentiment(p.getJsonObject("sentiment")));
    for (Object post : p.getJsonArray("latest_posts", new JsonArray())) {
      JsonObject item = (JsonObject) post;
      text.append("\n- ").append(item.getString("type", "post")).append(" ").append(item.getString("post_url"))
          .append(": ").append(metrics(item.getValue("likes"), "like", "likes")).append(", ")
          .append(metrics(item.getValue("comments"), "comment", "comments"))
          .append(item.getValue("plays") == null ? "" : ", " + metrics(item.getValue("plays"), "play", "plays"))
          .append(". ").append(sentiment(item.getJsonObject("sentiment")));
    }
    return text.toString();
  }

  private static String comparison(JsonObject c) {
    JsonObject a = c.getJsonObject("profile_a");
    JsonObject b = c.getJsonObject("profile_b");
    StringBuilder text = new StringBuilder("Comparison of @" + a.getString("username") + " and @" + b.getString("username") + ":");
    for (JsonObject p : List.of(a, b)) {
      text.append("\n- @").append(p.getString("username")).append(": ");
      if (!p.getBoolean("scraped", false)) {
        text.append("not scraped yet.");
        continue;
      }
      text.append(metrics(p.getValue("followers"), "follower", "followers")).append(", ")
          .append(number(p.getValue("avg_likes_per_post"))).append(" likes and ")
          .append(number(p.getValue("avg_comments_per_post"))).append(" comments per post")
          .append(p.getValue("engagement_rate_percent") == null ? "" : ", engagement rate " + number(p.getValue("engagement_rate_percent")) + " %")
          .append(". ").append(sentiment(p.getJsonObject("sentiment")));
    }
    return text.toString();
  }

  private static String sentiment(JsonObject summary) {
    if (summary == null || summary.getLong("total_comments", 0L) == 0) {
      return "No analysed comments.";
    }
    JsonObject pct = summary.getJsonObject("sentiment_percentages", new JsonObject());
    return "Of " + count(summary.getLong("total_comments"), "analysed comment", "analysed comments") + ", "
        + number(pct.getValue("positive")) + " % positive, " + number(pct.getValue("negative")) + " % negative and "
        + number(pct.getValue("neutral")) + " % neutral (overall " + summary.getString("overall_sentiment") + ").";
  }

  private static String metrics(Object value, String one, String many) {
    if (!(value instanceof Number n)) {
      return many + " unknown";
    }
    return number(n) + " " + (n.doubleValue() == 1 ? one : many);
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  static String number(Object value) {
    if (!(value instanceof Number n)) {
      return "unknown";
    }
    double d = n.doubleValue();
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) d);
    }
    return String.format(Locale.ROOT, "%,.1f", d);
  }

  private static String date(Long epochSeconds) {
    return epochSeconds == null ? "never" : DATE.format(Instant.ofEpochSecond(epochSeconds));
  }

  private OfflineAssistant() {
  }
}
