package ai.codvid.instagram;

import ai.codvid.config.AppConfig;

/**
 * Settings of {@link ApifySource}, read from the {@code apify.*} keys (each overridable by its
 * {@code CODVID_APIFY_*} environment variable).
 *
 * @param baseUrl {@code apify.base_url}, default {@value #DEFAULT_BASE_URL}
 * @param token {@code apify.token}; null or blank means "use the sample source"
 * @param timeoutSeconds {@code apify.timeout_seconds} (default 120): the limit of one call, also
 *     sent to Apify as {@code ?timeout=} so the actor run stops when we stop waiting
 * @param maxAttempts {@code apify.max_attempts} (default 4): first call included
 * @param maxRetrySeconds {@code apify.max_retry_seconds} (default 300): no retry starts later
 *     than this after the first attempt started
 * @param initialBackoffMillis {@code apify.initial_backoff_ms} (default 500), doubled per retry
 * @param maxBackoffMillis {@code apify.max_backoff_ms} (default 30000): cap of one backoff delay
 * @param maxConcurrency {@code apify.max_concurrency} (default 8): calls in flight per node
 * @param maxQueued {@code apify.max_queued} (default 1000): calls waiting for a slot before new
 *     ones are refused with 503
 * @param commentsResultsLimit {@code apify.comments_results_limit} (default 50): resultsLimit of
 *     a comments call
 */
public record ApifyOptions(String baseUrl, String token, int timeoutSeconds, int maxAttempts,
    int maxRetrySeconds, long initialBackoffMillis, long maxBackoffMillis, int maxConcurrency,
    int maxQueued, int commentsResultsLimit) {

  public static final String DEFAULT_BASE_URL = "https://api.apify.com";

  public ApifyOptions {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip().replaceAll("/+$", "");
    token = token == null || token.isBlank() ? null : token.strip();
    require(timeoutSeconds >= 1, "apify.timeout_seconds must be at least 1");
    require(maxAttempts >= 1, "apify.max_attempts must be at least 1");
    require(maxRetrySeconds >= 0, "apify.max_retry_seconds must not be negative");
    require(initialBackoffMillis >= 1, "apify.initial_backoff_ms must be at least 1");
    require(maxBackoffMillis >= initialBackoffMillis, "apify.max_backoff_ms must be at least apify.initial_backoff_ms");
    require(maxConcurrency >= 1, "apify.max_concurrency must be at least 1");
    require(maxQueued >= 0, "apify.max_queued must not be negative");
    require(commentsResultsLimit >= 1, "apify.comments_results_limit must be at least 1");
  }

  public static ApifyOptions from(AppConfig config) {
    return new ApifyOptions(
        config.string("apify.base_url", DEFAULT_BASE_URL),
        config.string("apify.token", null),
        config.integer("apify.timeout_seconds", 120),
        config.integer("apify.max_attempts", 4),
        config.integer("apify.max_retry_seconds", 300),
        config.longValue("apify.initial_backoff_ms", 500),
        config.longValue("apify.max_backoff_ms", 30_000),
        config.integer("apify.max_concurrency", 8),
        config.integer("apify.max_queued", 1000),
        config.integer("apify.comments_results_limit", 50));
  }

  public boolean hasToken() {
    return token != null;
  }

  /** The per-call limit in milliseconds. */
  public long timeoutMillis() {
    return timeoutSeconds * 1000L;
  }

  @Override
  public String toString() {
    return "ApifyOptions[baseUrl=" + baseUrl + ", token=" + (token == null ? "none" : "***")
        + ", timeoutSeconds=" + timeoutSeconds + ", maxAttempts=" + maxAttempts
        + ", maxRetrySeconds=" + maxRetrySeconds + ", initialBackoffMillis=" + initialBackoffMillis
        + ", maxBackoffMillis=" + maxBackoffMillis + ", maxConcurrency=" + maxConcurrency
        + ", maxQueued=" + maxQueued + ", commentsResultsLimit=" + commentsResultsLimit + "]";
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
