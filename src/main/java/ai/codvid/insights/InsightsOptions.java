package ai.codvid.insights;

import ai.codvid.config.AppConfig;

/**
 * Settings of insights and of the history they read.
 *
 * @param historyMaxSnapshots snapshots kept per task, oldest dropped first: 1 to {@value #MAX_SNAPSHOTS}
 *     (a task's series document holds one ~0.6 KB point per snapshot, and the store refuses
 *     documents over {@code store.max_document_bytes}, 4 MiB by default); 0 means that largest bound
 * @param historyMaxDays snapshots older than this many days are dropped (0 = none)
 * @param topTerms how many terms, emoji and hashtags comment insights lists
 * @param cachePoints scrape points kept parsed in memory per node (series of recently read tasks)
 * @param cacheComments comments of snapshots kept parsed in memory per node
 * @param exportPageSnapshots snapshots read from the store per page of an export
 */
public record InsightsOptions(int historyMaxSnapshots, int historyMaxDays, int topTerms, int cachePoints,
    int cacheComments, int exportPageSnapshots) {

  public static final int DEFAULT_MAX_SNAPSHOTS = 5_000;
  public static final int MAX_SNAPSHOTS = 6_000;

  static int maxSnapshots(int configured) {
    return configured <= 0 || configured > MAX_SNAPSHOTS ? MAX_SNAPSHOTS : configured;
  }

  public static InsightsOptions from(AppConfig config) {
    return new InsightsOptions(
        maxSnapshots(config.integer("tracking.history_max_snapshots", DEFAULT_MAX_SNAPSHOTS)),
        Math.max(0, config.integer("tracking.history_max_days", 0)),
        Math.max(1, config.integer("insights.top_terms", 20)),
        Math.max(0, config.integer("insights.cache_points", 100_000)),
        Math.max(0, config.integer("insights.cache_comments", 200_000)),
        Math.max(1, config.integer("insights.export_page_snapshots", 20)));
  }

  public static InsightsOptions defaults() {
    return new InsightsOptions(DEFAULT_MAX_SNAPSHOTS, 0, 20, 100_000, 200_000, 20);
  }
}
