package ai.codvid.tracking;

import ai.codvid.config.AppConfig;

/**
 * Settings of the tracking pipeline.
 *
 * @param postsPerProfile how many most recent posts a profile scrape keeps (3)
 * @param commentsPerPost how many top comments each post keeps (10)
 * @param leaseMillis how long a run's claim lives without renewal; a crashed node's runs are retaken after it
 * @param schedulerIntervalMillis how often the scheduler looks for due tasks
 * @param schedulerEnabled false disables automatic scraping on this node (force_scrape still works)
 * @param schedulerBatch at most this many tasks are claimed per kind per tick
 * @param firstRetrySeconds the first retry after a failed scrape; doubles up to the task's interval
 * @param maxIntervalDays the largest accepted scrape_interval_days
 * @param scraperInstances scraper worker verticle instances on this node (0: this node scrapes nothing)
 * @param sentimentTimeoutMillis how long a run waits for the sentiment verticle
 */
public record TrackingOptions(int postsPerProfile, int commentsPerPost, long leaseMillis, long schedulerIntervalMillis,
    boolean schedulerEnabled, int schedulerBatch, long firstRetrySeconds, double maxIntervalDays, int scraperInstances,
    long sentimentTimeoutMillis) {

  public static TrackingOptions from(AppConfig config) {
    return new TrackingOptions(
        config.integer("tracking.posts_per_profile", 3),
        config.integer("tracking.comments_per_post", 10),
        Math.round(config.decimal("tracking.lease_seconds", 60) * 1000),
        Math.round(config.decimal("tracking.scheduler_interval_seconds", 60) * 1000),
        config.bool("tracking.scheduler_enabled", true),
        config.integer("tracking.scheduler_batch", 100),
        config.longValue("tracking.first_retry_seconds", 900),
        config.decimal("tracking.max_interval_days", 365),
        Math.max(0, config.integer("scraper.instances", 2)),
        config.longValue("tracking.sentiment_timeout_ms", 30_000));
  }
}
