package ai.codvid.auth;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.store.Collections;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a bearer token into the id of a live account.
 *
 * <p>The signature and expiry are checked on every request; that the account still exists is
 * checked against the store and remembered for a short while. Deleting an account publishes
 * {@link Addresses#USERS_DELETED} on the (clustered) bus and every node forgets it at once, so
 * tokens of a deleted account stop working immediately.
 */
public final class SessionGuard {

  public static final String MISSING = "Unauthorized: missing session token while accessing non-public routes";
  public static final String NOT_BEARER = "Unauthorized: the Authorization header must be 'Bearer <token>'";
  private static final int MAX_CACHED = 100_000;

  private final JwtTokens tokens;
  private final MongoClient mongo;
  private final long cacheMillis;
  private final Map<String, Long> liveUntil = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> deletions;

  public SessionGuard(Vertx vertx, JwtTokens tokens, MongoClient mongo, long cacheMillis) {
    this.tokens = tokens;
    this.mongo = mongo;
    this.cacheMillis = cacheMillis;
    this.deletions = vertx.eventBus().consumer(Addresses.USERS_DELETED,
        message -> liveUntil.remove(message.body().getString("user_id", "")));
  }

  /** Registration of the deletion listener (cluster-wide when clustered). */
  public Future<Void> ready() {
    return deletions.completion();
  }

  /**
   * The user id for an {@code Authorization} header value. Fails with 401: the "missing" message
   * when there is no bearer token, the "invalid or expired" one for anything else.
   */
  public Future<String> authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Future.failedFuture(CodvidException.unauthorized(MISSING));
    }
    String token = bearer(authorization);
    if (token == null) {
      return Future.failedFuture(CodvidException.unauthorized(NOT_BEARER));
    }
    return authenticateToken(token);
  }

  /** As {@link #authenticate} for a raw token (e.g. a WebSocket {@code ?token=} parameter). */
  public Future<String> authenticateToken(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(CodvidException.unauthorized(MISSING));
    }
    return tokens.verify(token).compose(this::requireLive);
  }

  /** The token of {@code Bearer <token>} (scheme case-insensitive), or null for any other header. */
  public static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return value.substring(7).trim();
  }

  private Future<String> requireLive(String userId) {
    long now = System.currentTimeMillis();
    Long until = liveUntil.get(userId);
    if (until != null && until > now) {
      return Future.succeededFuture(userId);
    }
    return mongo.count(Collections.USERS, new JsonObject().put("_id", userId)).compose(n -> {
      if (n == 0) {
        liveUntil.remove(userId);
        return Future.failedFuture(CodvidException.unauthorized(JwtTokens.INVALID));
      }
      if (liveUntil.size() > MAX_CACHED) {
        liveUntil.clear();
      }
      liveUntil.put(userId, now + cacheMillis);
      return Future.succeededFuture(userId);
    });
  }

  public Future<Void> close() {
    return deletions.unregister();
  }
}
