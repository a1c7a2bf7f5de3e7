package ai.codvid.insights;

import ai.codvid.sentiment.Sentiment;
import ai.codvid.tracking.SentimentSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The definitions (docs/insights.md), as pure functions of scrape points: no store, no clock.
 *
 * <ul>
 *   <li>Post engagement rate (ER by followers, Socialinsider / Rival IQ): {@code (likes + comments)
 *       / followers at that scrape × 100}; a post with hidden likes counts its comments only.</li>
 *   <li>Views-based ER (reels): {@code (likes + comments) / views × 100}.</li>
 *   <li>The ER of a scrape or a window: the mean of its posts' rates. Rates are averaged
 *       unrounded and shown with two decimals.</li>
 *   <li>Follower growth: change and % between the first and the last scrape of the window with a
 *       known follower count (at least two are needed).</li>
 *   <li>Posting frequency: the window's distinct posts published inside it, per week.</li>
 *   <li>Sentiment shares: one-decimal %, adding up to 100.0; net sentiment
 *       {@code (positive − negative) / all × 100}.</li>
 * </ul>
 * A figure that cannot be computed (no posts, no followers, no comments) is null, never 0.
 */
public final class Metrics {

  /** The benchmark metrics and whether a higher value ranks first. */
  public static final Map<String, Boolean> BENCHMARK_METRICS = benchmarkMetrics();

  private Metrics() {
  }

  private static Map<String, Boolean> benchmarkMetrics() {
    Map<String, Boolean> metrics = new LinkedHashMap<>();
    metrics.put("followers", true);
    metrics.put("followers_growth_pct", true);
    metrics.put("engagement_rate", true);
    metrics.put("posts_per_week", true);
    metrics.put("net_sentiment", true);
    metrics.put("positive_pct", true);
    metrics.put("negative_pct", false);
    return java.util.Collections.unmodifiableMap(metrics);
  }

  // ---- arithmetic ----

  /** {@code numerator / denominator × 100}, unrounded; null when either is unknown or the denominator is not positive. */
  public static Double rate(Long numerator, Long denominator) {
    if (numerator == null || denominator == null || denominator <= 0) {
      return null;
    }
    return numerator * 100.0 / denominator;
  }

  public static Double round2(Double value) {
    return value == null ? null : Math.round(value * 100.0) / 100.0;
  }

  public static Double round1(Double value) {
    return value == null ? null : Math.round(value * 10.0) / 10.0;
  }

  /** The mean of the known values; null when none is known. */
  public static Double mean(Collection<? extends Number> values) {
    double sum = 0;
    int n = 0;
    for (Number v : values) {
      if (v != null) {
        sum += v.doubleValue();
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static <T> List<Number> each(Collection<T> items, Function<T, Number> value) {
    List<Number> out = new ArrayList<>(items.size());
    items.forEach(i -> out.add(value.apply(i)));
    return out;
  }

  // ---- one scrape ----

  /** The mean post ER of a scrape, unrounded; null without posts or followers. */
  public static Double engagementRate(ScrapePoint point) {
    return mean(each(point.posts(), p -> p.engagementRate(point.followers())));
  }

  /** The mean views-based ER of the scrape's posts that have views (reels); null when none has. */
  public static Double viewsEngagementRate(ScrapePoint point) {
    return mean(each(point.posts(), PostPoint::viewsEngagementRate));
  }

  /** {@code {positive_pct, negative_pct, neutral_pct, net_sentiment}}, all null without comments. */
  public static JsonObject shares(long positive, long negative, long neutral) {
    long all = positive + negative + neutral;
    if (all == 0) {
      return new JsonObject().put("positive_pct", null).put("negative_pct", null).put("neutral_pct", null)
          .put("net_sentiment", null);
    }
    JsonObject pct = SentimentSummary.percentages(positive, negative, neutral);
    return new JsonObject()
        .put("positive_pct", pct.getDouble(Sentiment.POSITIVE))
        .put("negative_pct", pct.getDouble(Sentiment.NEGATIVE))
        .put("neutral_pct", pct.getDouble(Sentiment.NEUTRAL))
        .put("net_sentiment", round1((positive - negative) * 100.0 / all));
  }

  /** One point of {@code series}: the figures of one scrape. */
  public static JsonObject seriesPoint(ScrapePoint point) {
    return new JsonObject()
        .put("scraped_at", point.scrapedAt())
        .put("followers", point.followers())
        .put("engagement_rate", round2(engagementRate(point)))
        .put("views_engagement_rate", round2(viewsEngagementRate(point)))
        .mergeIn(shares(point.positive(), point.negative(), point.neutral()))
        .put("comments", point.comments());
  }

  /** {@code latest}: the series point of the last scrape with its per-post averages. */
  public static JsonObject latest(ScrapePoint point) {
    List<PostPoint> posts = point.posts();
    return seriesPoint(point)
        .put("posts", posts.size())
        .put("posts_with_hidden_likes", posts.stream().filter(PostPoint::likesHidden).count())
        .put("avg_likes", round2(mean(each(posts, PostPoint::likes))))
        .put("avg_comments", round2(mean(each(posts, PostPoint::comments))))
        .put("avg_engagement", round2(mean(each(posts, PostPoint::engagement))))
        .put("avg_views", round2(mean(each(posts, PostPoint::views))));
  }

  /** {@code posts}: each post of the scrape with its rates. */
  public static JsonArray posts(ScrapePoint point) {
    JsonArray out = new JsonArray();
    for (PostPoint p : point.posts()) {
      out.add(new JsonObject()
          .put("post_id", p.id())
          .put("post_url", p.url())
          .put("type", p.type())
          .put("posted_at", p.timestamp())
          .put("likes", p.likes())
          .put("likes_hidden", p.likesHidden())
          .put("comments", p.comments())
          .put("views", p.views())
          .put("engagement_rate", round2(p.engagementRate(point.followers())))
          .put("views_engagement_rate", round2(p.viewsEngagementRate()))
          .put("sentiment", new JsonObject().put(Sentiment.POSITIVE, p.positive()).put(Sentiment.NEGATIVE, p.negative())
              .put(Sentiment.NEUTRAL, p.neutral())));
    }
    return out;
  }

  // ---- a window ----

  /** A post with the followers of the scrape it was last seen in. */
  record SeenPost(PostPoint post, Long followers) {
  }

  /** The distinct posts of the window's scrapes (oldest first), each as the last scrape that saw it. */
  static Map<String, SeenPost> distinctPosts(List<ScrapePoint> oldestFirst) {
    Map<String, SeenPost> posts = new LinkedHashMap<>();
    for (ScrapePoint point : oldestFirst) {
      for (PostPoint p : point.posts()) {
        String key = p.id() != null ? p.id() : p.url();
        if (key != null) {
          posts.put(key, new SeenPost(p, point.followers()));
        }
      }
    }
    return posts;
  }

  /**
   * {@code period}: figures over the window [{@code from}, {@code to}] (epoch seconds): its
   * distinct posts' mean ER and averages, and posts per week.
   */
  public static JsonObject period(List<ScrapePoint> oldestFirst, long from, long to, int windowDays) {
    Collection<SeenPost> posts = distinctPosts(oldestFirst).values();
    long published = posts.stream()
        .filter(s -> s.post().timestamp() != null && s.post().timestamp() >= from && s.post().timestamp() <= to).count();
    boolean any = !oldestFirst.isEmpty();
    return new JsonObject()
        .put("from", from)
        .put("to", to)
        .put("scrapes", oldestFirst.size())
        .put("posts", posts.size())
        .put("engagement_rate", round2(mean(each(posts, s -> s.post().engagementRate(s.followers())))))
        .put("views_engagement_rate", round2(mean(each(posts, s -> s.post().viewsEngagementRate()))))
        .put("avg_likes", round2(mean(each(posts, s -> s.post().likes()))))
        .put("avg_comments", round2(mean(each(posts, s -> s.post().comments()))))
        .put("avg_views", round2(mean(each(posts, s -> s.post().views()))))
        .put("posts_published", any ? published : null)
        .put("posts_per_week", any ? round2(published * 7.0 / windowDays) : null);
  }

  /** {@code growth}: followers between the first and last scrape of the window that know them. */
  public static JsonObject growth(List<ScrapePoint> oldestFirst) {
    ScrapePoint first = null;
    ScrapePoint last = null;
    for (ScrapePoint p : oldestFirst) {
      if (p.followers() != null) {
        if (first == null) {
          first = p;
        }
        last = p;
      }
    }
    JsonObject growth = new JsonObject()
        .put("followers_start", first == null ? null : first.followers())
        .put("followers_end", last == null ? null : last.followers())
        .put("from", first == null ? null : first.scrapedAt())
        .put("to", last == null ? null : last.scrapedAt());
    if (first == null || first == last) {
      return growth.put("followers_change", null).put("followers_change_pct", null);
    }
    long change = last.followers() - first.followers();
    return growth.put("followers_change", change)
        .put("followers_change_pct", round2(rate(change, first.followers())));
  }

  // ---- comments ----

  /**
   * {@code comment_insights} over the window's snapshots, newest first: each distinct comment
   * (by key) counts once, with the label of the newest scrape that saw it; a term, emoji or
   * hashtag counts once per comment that uses it; the {@code top} most frequent of each, ties in
   * alphabetical order.
   */
  public static JsonObject commentInsights(List<List<CommentPoint>> newestFirst, int top) {
    Set<String> seen = new HashSet<>();
    Map<String, Map<String, Integer>> terms = new HashMap<>();
    Map<String, Map<String, Integer>> emojiByLabel = new HashMap<>();
    Map<String, Integer> emoji = new HashMap<>();
    Map<String, Integer> hashtags = new HashMap<>();
    Map<String, Integer> languages = new HashMap<>();
    Map<String, Integer> labels = new HashMap<>();
    for (List<CommentPoint> snapshot : newestFirst) {
      for (CommentPoint c : snapshot) {
        if (!seen.add(c.key())) {
          continue;
        }
        String label = c.label();
        labels.merge(label, 1, Integer::sum);
        languages.merge(c.language() == null ? "unknown" : c.language(), 1, Integer::sum);
        c.terms().forEach(t -> terms.computeIfAbsent(label, k -> new HashMap<>()).merge(t, 1, Integer::sum));
        c.emoji().forEach(e -> {
          emoji.merge(e, 1, Integer::sum);
          emojiByLabel.computeIfAbsent(label, k -> new HashMap<>()).merge(e, 1, Integer::sum);
        });
        c.hashtags().forEach(h -> hashtags.merge(h, 1, Integer::sum));
      }
    }
    JsonObject termsOut = new JsonObject();
    JsonObject emojiOut = new JsonObject();
    for (String label : List.of(Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.NEUTRAL)) {
      termsOut.put(label, top(terms.getOrDefault(label, Map.of()), top, "term"));
      emojiOut.put(label, top(emojiByLabel.getOrDefault(label, Map.of()), top, "emoji"));
    }
    return new JsonObject()
        .put("comments", seen.size())
        .put("by_sentiment", new JsonObject().put(Sentiment.POSITIVE, labels.getOrDefault(Sentiment.POSITIVE, 0))
            .put(Sentiment.NEGATIVE, labels.getOrDefault(Sentiment.NEGATIVE, 0))
            .put(Sentiment.NEUTRAL, labels.getOrDefault(Sentiment.NEUTRAL, 0)))
        .put("terms", termsOut)
        .put("emoji", top(emoji, top, "emoji"))
        .put("emoji_by_sentiment", emojiOut)
        .put("hashtags", top(hashtags, top, "hashtag"))
        .put("languages", top(languages, Integer.MAX_VALUE, "language"));
  }

  static JsonArray top(Map<String, Integer> counts, int n, String name) {
    JsonArray out = new JsonArray();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(n)
        .forEach(e -> out.add(new JsonObject().put(name, e.getKey()).put("count", e.getValue())));
    return out;
  }

  // ---- benchmark ----

  /** The benchmark figures of one profile over its window's scrapes (oldest first). */
  public static JsonObject benchmarkFigures(List<ScrapePoint> oldestFirst, long from, long to, int windowDays) {
    ScrapePoint last = oldestFirst.isEmpty() ? null : oldestFirst.get(oldestFirst.size() - 1);
    JsonObject shares = last == null ? shares(0, 0, 0) : shares(last.positive(), last.negative(), last.neutral());
    JsonObject period = period(oldestFirst, from, to, windowDays);
    return new JsonObject()
        .put("followers", last == null ? null : last.followers())
        .put("followers_growth_pct", growth(oldestFirst).getValue("followers_change_pct"))
        .put("engagement_rate", period.getValue("engagement_rate"))
        .put("posts_per_week", period.getValue("posts_per_week"))
        .put("net_sentiment", shares.getValue("net_sentiment"))
        .put("positive_pct", shares.getValue("positive_pct"))
        .put("negative_pct", shares.getValue("negative_pct"))
        .put("scrapes", oldestFirst.size())
        .put("last_scraped", last == null ? null : last.scrapedAt());
  }

  /**
   * Puts {@code rank} (per metric: 1 = best, ties share a rank, unknown values are unranked)
   * into each profile, and answers the three averages: own profiles, competitors, all.
   */
  public static JsonObject rankAndAverage(List<JsonObject> profiles) {
    for (JsonObject p : profiles) {
      p.put("rank", new JsonObject());
    }
    for (Map.Entry<String, Boolean> metric : BENCHMARK_METRICS.entrySet()) {
      String key = metric.getKey();
      List<JsonObject> known = new ArrayList<>(profiles.stream().filter(p -> p.getValue(key) instanceof Number).toList());
      Comparator<JsonObject> order = Comparator.comparingDouble(p -> p.getDouble(key));
      known.sort(metric.getValue() ? order.reversed() : order);
      for (JsonObject p : profiles) {
        p.getJsonObject("rank").put(key, null);
      }
      for (int i = 0; i < known.size(); i++) {
        JsonObject p = known.get(i);
        int rank = i + 1;
        if (i > 0 && known.get(i - 1).getDouble(key).equals(p.getDouble(key))) {
          rank = known.get(i - 1).getJsonObject("rank").getInteger(key);
        }
        p.getJsonObject("rank").put(key, rank);
      }
    }
    return new JsonObject()
        .put("own_average", average(profiles.stream().filter(p -> !p.getBoolean("is_competitor", false)).toList()))
        .put("competitor_average", average(profiles.stream().filter(p -> p.getBoolean("is_competitor", false)).toList()))
        .put("landscape_average", average(profiles));
  }

  /** The mean of each metric over the profiles that know it (two decimals), and how many profiles. */
  static JsonObject average(List<JsonObject> profiles) {
    JsonObject out = new JsonObject().put("profiles", profiles.size());
    for (String key : BENCHMARK_METRICS.keySet()) {
      out.put(key, round2(mean(each(profiles, p -> p.getValue(key) instanceof Number n ? n : null))));
    }
    return out;
  }
}
