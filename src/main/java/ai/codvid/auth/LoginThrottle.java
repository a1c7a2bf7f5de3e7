package ai.codvid.auth;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.shareddata.AsyncMap;

/**
 * Refuses logins for an email after too many recent failures (default: 10 within 15 minutes).
 *
 * <p>The failure times live in a shared-data map, which is cluster-wide when the node is
 * clustered, so an attacker gains nothing by spreading attempts over nodes. Entries expire on
 * their own.
 */
public final class LoginThrottle {

  private static final String MAP = "codvid.login-failures";

  private final Vertx vertx;
  private final int maxFailures;
  private final long windowMillis;

  public LoginThrottle(Vertx vertx, AppConfig config) {
    this.vertx = vertx;
    this.maxFailures = config.integer("auth.login_max_failures", 10);
    this.windowMillis = config.longValue("auth.login_window_minutes", 15) * 60_000L;
  }

  /** Fails with 429 when the email has used up its failures in the window. */
  public Future<Void> check(String email) {
    return map().compose(m -> m.get(email)).compose(stored -> {
      JsonArray recent = recent(stored, System.currentTimeMillis());
      if (recent.size() >= maxFailures) {
        long retryMinutes = Math.max(1, (recent.getLong(0) + windowMillis - System.currentTimeMillis() + 59_999) / 60_000);
        return Future.failedFuture(new CodvidException(FailureCode.TOO_MANY_REQUESTS,
            "Too many failed login attempts for this account. Try again in " + retryMinutes + " minute"
                + (retryMinutes == 1 ? "" : "s") + "."));
      }
      return Future.succeededFuture();
    });
  }

  /** Records one failed attempt. */
  public Future<Void> recordFailure(String email) {
    return vertx.sharedData().getLockWithTimeout(MAP + ":" + email, 5_000).compose(lock ->
        map().compose(m -> m.get(email).compose(stored -> {
          long now = System.currentTimeMillis();
          JsonArray recent = recent(stored, now).add(now);
          while (recent.size() > maxFailures + 1) {
            recent.remove(0);
          }
          return m.put(email, recent.encode(), windowMillis);
        })).onComplete(ignored -> lock.release()));
  }

  /** Forgets the failures after a successful login. */
  public Future<Void> reset(String email) {
    return map().compose(m -> m.remove(email)).mapEmpty();
  }

  private JsonArray recent(String stored, long now) {
    JsonArray recent = new JsonArray();
    if (stored != null) {
      for (Object t : new JsonArray(stored)) {
        long at = ((Number) t).longValue();
        if (now - at < windowMillis) {
          recent.add(at);
        }
      }
    }
    return recent;
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
