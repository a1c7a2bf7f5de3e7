package ai.codvid.users;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.auth.JwtTokens;
import ai.codvid.auth.LoginThrottle;
import ai.codvid.auth.PasswordHasher;
import ai.codvid.store.Collections;
import ai.codvid.store.DeletedUsers;
import ai.codvid.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.UUID;

/** Accounts: sign-up, login, and deleting an account with everything it owns. */
public final class UserService {

  public static final String EMAIL_TAKEN = "Email is already linked to an account";
  public static final String EMAIL_UNKNOWN = "Email is not linked to an account.";
  public static final String WRONG_PASSWORD = "wrong password.";

  private final Vertx vertx;
  private final MongoClient mongo;
  private final PasswordHasher hasher;
  private final JwtTokens tokens;
  private final LoginThrottle throttle;
  private final DeletedUsers deleted;

  public UserService(Vertx vertx, MongoClient mongo, PasswordHasher hasher, JwtTokens tokens, LoginThrottle throttle) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.hasher = hasher;
    this.tokens = tokens;
    this.throttle = throttle;
    this.deleted = new DeletedUsers(vertx, mongo);
  }

  /** The tombstones of deleted accounts, which every creator of user-owned documents checks. */
  public DeletedUsers deletions() {
    return deleted;
  }

  /** A token and the user id of the issued session. */
  public record Session(String token, String userId) {
    public JsonObject toJson() {
      return new JsonObject().put("token", token).put("user_id", userId);
    }
  }

  public Future<Session> signup(String email, String password) {
    return findByEmail(email).compose(existing -> {
      if (existing != null) {
        return Future.failedFuture(CodvidException.badRequest(EMAIL_TAKEN));
      }
      return hasher.hash(password).compose(hash -> {
        String userId = UUID.randomUUID().toString();
        JsonObject user = new JsonObject()
            .put("_id", userId)
            .put("email", email)
            .put("auth_type", "email")
            .put("password_hash", hash)
            .put("created_at", Instant.now().getEpochSecond());
        return mongo.insert(Collections.USERS, user)
            .recover(failure -> Future.failedFuture(MongoErrors.isDuplicateKey(failure)
                ? CodvidException.badRequest(EMAIL_TAKEN) : failure))
            .map(id -> new Session(tokens.issue(userId), userId));
      });
    });
  }

  public Future<Session> login(String email, String password) {
    return throttle.check(email)
        .compose(ok -> findByEmail(email))
        .compose(user -> {
          if (user == null) {
            return throttle.recordFailure(email)
                .compose(v -> Future.failedFuture(CodvidException.badRequest(EMAIL_UNKNOWN)));
          }
          return hasher.verify(password, user.getString("password_hash", "")).compose(matches -> matches
              ? throttle.reset(email).map(v -> new Session(tokens.issue(user.getString("_id")), user.getString("_id")))
              : throttle.recordFailure(email).compose(v -> Future.failedFuture(CodvidException.badRequest(WRONG_PASSWORD))));
        });
  }

  /** True while the account exists. */
  public Future<Boolean> exists(String userId) {
    return mongo.count(Collections.USERS, new JsonObject().put("_id", userId)).map(n -> n > 0);
  }

  /**
   * Deletes an account for good: its tombstone is written first and every node told at once
   * ({@link Addresses#USERS_DELETED}: sessions, cached reads and live streams end; creates of
   * its documents are refused and taken back from now on), then everything it owns and the
   * account are removed, every node is told again, and the data is swept again a little later
   * for writes that were in flight. If a
   * step fails the client may retry; the deletion is also finished at the next start of any node.
   */
  public Future<Void> delete(String userId) {
    JsonObject gone = new JsonObject().put("user_id", userId);
    return deleted.mark(userId)
        .onSuccess(v -> vertx.eventBus().publish(Addresses.USERS_DELETED, gone))
        .compose(v -> deleted.sweep(userId))
        .onSuccess(v -> {
          // again once the account document is gone: a session re-checked during the sweep
          // still found it and would otherwise be trusted for auth.session_cache_ms
          vertx.eventBus().publish(Addresses.USERS_DELETED, gone);
          deleted.sweepLater(userId);
        });
  }

  private Future<JsonObject> findByEmail(String email) {
    return mongo.findOne(Collections.USERS, new JsonObject().put("email", email), null);
  }
}
