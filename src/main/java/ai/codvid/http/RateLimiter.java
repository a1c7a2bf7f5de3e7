package ai.codvid.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed-window counter per key (e.g. force_scrape per user per minute), shared by the HTTP
 * verticle instances of a node. Limits are per node: behind a load balancer of N nodes a client
 * gets at most N times the limit.
 */
public final class RateLimiter {

  private static final int MAX_KEYS = 100_000;

  private final int limit;
  private final long windowMillis;
  private final Map<String, long[]> windows = new ConcurrentHashMap<>();

  /** @param limit requests per window; 0 or less disables the limit */
  public RateLimiter(int limit, long windowMillis) {
    this.limit = limit;
    this.windowMillis = windowMillis;
  }

  public int limit() {
    return limit;
  }

  /** Seconds to wait before the next request is allowed, or 0 when this one is allowed (and counted). */
  public long acquire(String key) {
    if (limit <= 0) {
      return 0;
    }
    long now = System.currentTimeMillis();
    if (windows.size() > MAX_KEYS) {
      windows.values().removeIf(w -> now - w[0] >= windowMillis);
    }
    long[] window = windows.compute(key, (k, w) -> {
      if (w == null || now - w[0] >= windowMillis) {
        return new long[] {now, 1};
      }
      w[1]++;
      return w;
    });
    synchronized (window) {
      return window[1] <= limit ? 0 : Math.max(1, (window[0] + windowMillis - now + 999) / 1000);
    }
  }
}
