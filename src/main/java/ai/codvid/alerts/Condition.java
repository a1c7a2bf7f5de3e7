package ai.codvid.alerts;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a rule compares the value of a scrape.
 *
 * <ul>
 *   <li>{@code above} / {@code below}: value &gt; threshold / value &lt; threshold.</li>
 *   <li>{@code rises_by} / {@code falls_by}: against the baseline, the mean of the values of the
 *       previous {@code baseline_scrapes} scrapes (those with a value; at least one is needed).
 *       For shares and rates (negative_pct, positive_pct, net_sentiment, engagement_rate) the
 *       change is in <b>percentage points</b>: value − baseline ≥ threshold (rises_by),
 *       baseline − value ≥ threshold (falls_by). For followers it is <b>relative, in %</b> of the
 *       baseline: (value − baseline) / baseline × 100 ≥ threshold (or the fall likewise).</li>
 * </ul>
 */
public enum Condition {
  ABOVE("above", false),
  BELOW("below", false),
  RISES_BY("rises_by", true),
  FALLS_BY("falls_by", true);

  private final String wireName;
  private final boolean againstBaseline;

  Condition(String wireName, boolean againstBaseline) {
    this.wireName = wireName;
    this.againstBaseline = againstBaseline;
  }

  public String wireName() {
    return wireName;
  }

  public boolean againstBaseline() {
    return againstBaseline;
  }

  public static Condition fromWire(String name) {
    for (Condition c : values()) {
      if (c.wireName.equals(name)) {
        return c;
      }
    }
    return null;
  }

  public static String names() {
    return Arrays.stream(values()).map(Condition::wireName).collect(Collectors.joining(", "));
  }

  /**
   * The change the rule compares with its threshold: value − baseline in the metric's unit, or in
   * % of the baseline for a relative metric (null when the baseline is 0 there).
   */
  static Double change(Metric metric, double value, double baseline) {
    if (!metric.relativeChange()) {
      return tidy(value - baseline);
    }
    return baseline == 0 ? null : tidy((value - baseline) / Math.abs(baseline) * 100);
  }

  /** Rounded to 6 decimals, so 30.1 − 10.1 compares as 20 and not 19.999999999999996. */
  private static double tidy(double change) {
    return Math.round(change * 1e6) / 1e6;
  }

  /** True when the value (and, for rises_by / falls_by, its baseline) meets the threshold. */
  boolean holds(Metric metric, double value, Double baseline, double threshold) {
    return switch (this) {
      case ABOVE -> value > threshold;
      case BELOW -> value < threshold;
      case RISES_BY, FALLS_BY -> {
        if (baseline == null) {
          yield false;
        }
        Double change = change(metric, value, baseline);
        yield change != null && (this == RISES_BY ? change >= threshold : -change >= threshold);
      }
    };
  }
}
