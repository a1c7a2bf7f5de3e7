package ai.codvid.alerts;

import ai.codvid.config.AppConfig;

/**
 * Settings of alert rules and webhook delivery (docs/alerts.md lists each with its key).
 *
 * @param maxRulesPerUser rules an account may keep; creating one more is a 409
 * @param maxAlertsPerUser fired alerts kept per account; the oldest are dropped beyond it
 * @param allowPrivateWebhooks true lets webhooks reach loopback, private, link-local and metadata
 *     addresses (tests, on-premise receivers); false refuses them at creation and at every delivery
 * @param connectTimeoutMillis how long a delivery waits for the receiver's TCP (and TLS) connection
 * @param responseTimeoutMillis how long a delivery waits for the whole answer once connected
 * @param initialBackoffMillis the wait after the first failed attempt; doubles per attempt, with jitter
 * @param maxBackoffMillis the longest wait between two attempts
 * @param retryMillis attempts stop this long after the alert fired (24 h by default)
 * @param leaseMillis how long a node holds a delivery it claimed; a dead node's delivery is
 *     retaken after it. Always longer than one attempt can take (connect + response timeout + 1 s)
 * @param pollMillis how often each node looks for deliveries that are due
 * @param concurrency attempts in flight at once per node
 * @param testWebhooksPerMinute test_webhook calls per user per minute on one node (0: unlimited)
 */
public record AlertOptions(int maxRulesPerUser, int maxAlertsPerUser, boolean allowPrivateWebhooks,
    long connectTimeoutMillis, long responseTimeoutMillis, long initialBackoffMillis, long maxBackoffMillis,
    long retryMillis, long leaseMillis, long pollMillis, int concurrency, int testWebhooksPerMinute) {

  /** Bytes of a receiver's answer that are read; the rest is not. */
  public static final int MAX_RESPONSE_BYTES = 64 * 1024;
  public static final double DEFAULT_COOLDOWN_HOURS = 24;
  public static final int DEFAULT_BASELINE_SCRAPES = 4;

  public static AlertOptions from(AppConfig config) {
    long connect = Math.max(100, config.longValue("alerts.webhook_connect_timeout_ms", 5_000));
    long response = Math.max(100, config.longValue("alerts.webhook_timeout_ms", 10_000));
    long lease = Math.round(config.decimal("alerts.delivery_lease_seconds", 60) * 1000);
    return new AlertOptions(
        Math.max(1, config.integer("alerts.max_rules_per_user", 50)),
        Math.max(1, config.integer("alerts.max_alerts_per_user", 1_000)),
        config.bool("alerts.allow_private_webhooks", false),
        connect,
        response,
        Math.max(10, config.longValue("alerts.webhook_initial_backoff_ms", 30_000)),
        Math.max(10, config.longValue("alerts.webhook_max_backoff_ms", 3_600_000)),
        Math.max(1, Math.round(config.decimal("alerts.webhook_retry_hours", 24) * 3_600_000)),
        Math.max(lease, connect + response + 1_000),
        Math.max(10, config.longValue("alerts.delivery_poll_ms", 1_000)),
        Math.max(1, config.integer("alerts.delivery_concurrency", 16)),
        config.integer("alerts.test_webhooks_per_minute", 10));
  }
}
