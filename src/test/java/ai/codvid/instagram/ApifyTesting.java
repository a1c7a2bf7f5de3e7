package ai.codvid.instagram;

import ai.codvid.fakes.FakeApify;

/** Short timeouts and backoffs so the suite stays fast. */
final class ApifyTesting {

  private ApifyTesting() {
  }

  /** 2 s per call, 4 attempts, 10 s budget, 20 ms initial backoff, 8 in flight. */
  static ApifyOptions options(FakeApify fake) {
    return options(fake.baseUrl(), 2, 4, 10, 20, 8, 100);
  }

  static ApifyOptions options(String baseUrl, int timeoutSeconds, int maxAttempts, int maxRetrySeconds,
      long initialBackoffMillis, int maxConcurrency, int maxQueued) {
    return new ApifyOptions(baseUrl, FakeApify.TOKEN, timeoutSeconds, maxAttempts, maxRetrySeconds,
        initialBackoffMillis, Math.max(initialBackoffMillis, 200), maxConcurrency, maxQueued, 50);
  }
}
