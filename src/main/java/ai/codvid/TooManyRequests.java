package ai.codvid;

/**
 * A 429 whose client should wait {@link #retryAfterSeconds()} before trying again; the HTTP
 * failure handler sends that as the {@code Retry-After} header.
 */
public final class TooManyRequests extends CodvidException {

  private final long retryAfterSeconds;

  public TooManyRequests(String message, long retryAfterSeconds) {
    super(FailureCode.TOO_MANY_REQUESTS, message);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
