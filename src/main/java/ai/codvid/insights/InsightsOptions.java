package ai.codvid.insights;

import ai.codvid.config.AppConfig;

/**
 * Settings of insights and of the history they read.
 *
 * @param historyMaxSnapshots snapshots kept per task, oldest dropped first (0 = all)
 * @param historyMaxDays snapshots older than this many days are dropped (0 = none)
 * @param topTerms how many terms, emoji and hashtags comment insights lists
 * @param cachePoints scrape points kept parsed in memory per node (series of recently read tasks)
 * @param cacheComments comments of snapshots kept parsed in memory per node
 * @param listCacheMillis how long a user's task list for the benchmark is kept (every change drops it at once)
 * @param exportPageSnapshots snapshots read from the store per page of an export
 */
public record InsightsOptions(int historyMaxSnapshots, int historyMaxDays, int topTerms, int cachePoints,
    int cacheComments, long listCacheMillis, int exportPageSnapshots) {

  public static InsightsOptions from(AppConfig config) {
    return new InsightsOptions(
        Math.max(0, config.integer("tracking.history_max_snapshots", 0)),
        Math.max(0, config.integer("tracking.history_max_days", 0)),
        Math.max(1, config.integer("insights.top_terms", 20)),
        Math.max(0, config.integer("insights.cache_points", 100_000)),
        Math.max(0, config.integer("insights.cache_comments", 200_000)),
        config.longValue("insights.list_cache_ms", 5_000),
        Math.max(1, config.integer("insights.export_page_snapshots", 20)));
  }

  public static InsightsOptions defaults() {
    return new InsightsOptions(0, 0, 20, 100_000, 200_000, 5_000, 20);
  }
}
