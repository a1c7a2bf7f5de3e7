package ai.codvid.alerts;

import ai.codvid.insights.Metrics;
import ai.codvid.insights.ScrapePoint;
import ai.codvid.tracking.TaskKind;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a rule watches. Values are those of the task's insights series point of the scrape
 * (docs/insights.md), so a rule and the insights page agree to the shown decimal.
 */
public enum Metric {
  /** Share of the scrape's classified comments that are negative, 0–100 (one decimal). */
  NEGATIVE_PCT("negative_pct", 0, 100, false),
  /** Share of the scrape's classified comments that are positive, 0–100 (one decimal). */
  POSITIVE_PCT("positive_pct", 0, 100, false),
  /** (positive − negative) / all × 100, −100…100 (one decimal). */
  NET_SENTIMENT("net_sentiment", -100, 100, false),
  /**
   * The scrape's engagement rate in % (two decimals): by followers for a profile, by views for a
   * reel (its followers are not known).
   */
  ENGAGEMENT_RATE("engagement_rate", 0, Double.MAX_VALUE, false),
  /** The profile's followers at the scrape (unknown for a reel task). */
  FOLLOWERS("followers", 0, Double.MAX_VALUE, true),
  /** A scrape of the task failed (no threshold: every failure counts, once per cooldown). */
  SCRAPE_FAILED("scrape_failed", 0, 0, false);

  private final String wireName;
  private final double min;
  private final double max;
  private final boolean relativeChange;

  Metric(String wireName, double min, double max, boolean relativeChange) {
    this.wireName = wireName;
    this.min = min;
    this.max = max;
    this.relativeChange = relativeChange;
  }

  public String wireName() {
    return wireName;
  }

  /** The lowest and highest value the metric can take (thresholds of above/below must lie within). */
  double min() {
    return min;
  }

  double max() {
    return max;
  }

  /**
   * True when rises_by / falls_by compare a relative change in % of the baseline (followers);
   * false when they compare the difference in the metric's own unit (percentage points).
   */
  public boolean relativeChange() {
    return relativeChange;
  }

  public static Metric fromWire(String name) {
    for (Metric m : values()) {
      if (m.wireName.equals(name)) {
        return m;
      }
    }
    return null;
  }

  public static String names() {
    return Arrays.stream(values()).map(Metric::wireName).collect(Collectors.joining(", "));
  }

  /** The value at one scrape point of a task of this kind; null when it cannot be computed. */
  public Double value(TaskKind kind, ScrapePoint point) {
    if (this == FOLLOWERS) {
      return point.followers() == null ? null : point.followers().doubleValue();
    }
    if (this == ENGAGEMENT_RATE) {
      return Metrics.round2(kind == TaskKind.REEL ? Metrics.viewsEngagementRate(point) : Metrics.engagementRate(point));
    }
    if (this == SCRAPE_FAILED) {
      return null;
    }
    JsonObject shares = Metrics.shares(point.positive(), point.negative(), point.neutral());
    return shares.getDouble(wireName);
  }
}
