package ai.codvid.users;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.auth.JwtTokens;
import ai.codvid.auth.LoginThrottle;
import ai.codvid.auth.PasswordHasher;
import ai.codvid.auth.PasswordPolicy;
import ai.codvid.store.Collections;
import ai.codvid.store.DeletedUsers;
import ai.codvid.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Accounts: sign-up, login, and deleting an account with everything it owns. */
public final class UserService {

  public static final String EMAIL_TAKEN = "Email is already linked to an account";
  public static final String EMAIL_UNKNOWN = "Email is not linked to an account.";
  public static final String WRONG_PASSWORD = "wrong password.";
  public static final String PASSWORD_TOO_SHORT = "Password is too short: use at least " + PasswordPolicy.MIN_LENGTH + " characters";
  public static final String PASSWORD_TOO_COMMON = "Password is too common (it is on lists of leaked passwords): choose another one";
  public static final String PASSWORD_IS_EMAIL = "Password must not be the email address";

  private final Vertx vertx;
  private final MongoClient mongo;
  private final PasswordHasher hasher;
  private final JwtTokens tokens;
  private final LoginThrottle throttle;
  private final Future<PasswordPolicy> passwords;
  private final DeletedUsers deleted;

  public UserService(Vertx vertx, MongoClient mongo, PasswordHasher hasher, JwtTokens tokens, LoginThrottle throttle) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.hasher = hasher;
    this.tokens = tokens;
    this.throttle = throttle;
    this.passwords = vertx.executeBlocking(PasswordPolicy::load, false);
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

  /**
   * A new account for a canonical email ({@link EmailAddress#forSignup}) and a password that
   * {@link PasswordPolicy} accepts, counted against the client address's signups.
   */
  public Future<Session> signup(EmailAddress email, String password, String clientAddress) {
    return passwords
        .compose(policy -> switch (policy.check(password, email.canonical())) {
          case TOO_SHORT -> Future.failedFuture(CodvidException.badRequest(PASSWORD_TOO_SHORT));
          case TOO_COMMON -> Future.failedFuture(CodvidException.badRequest(PASSWORD_TOO_COMMON));
          case IS_EMAIL -> Future.failedFuture(CodvidException.badRequest(PASSWORD_IS_EMAIL));
          case OK -> throttle.signup(clientAddress);
        })
        .compose(ok -> findByEmail(email))
        .compose(existing -> {
          if (existing != null) {
            return Future.failedFuture(CodvidException.badRequest(EMAIL_TAKEN));
          }
          return hasher.hash(password).compose(hash -> {
            String userId = UUID.randomUUID().toString();
            JsonObject user = new JsonObject()
                .put("_id", userId)
                .put("email", email.canonical())
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

  /**
   * A session for the right password. Known and unknown emails cost the same Argon2 work, and
   * failures are throttled per client address and per (address, account), never per account
   * alone, so nobody can lock a victim out ({@link LoginThrottle}).
   */
  public Future<Session> login(EmailAddress email, String password, String clientAddress) {
    return throttle.login(clientAddress, email.account()).compose(attempt -> findByEmail(email).compose(user -> {
      if (user == null) {
        return hasher.verifyUnknown(password).compose(no -> Future.failedFuture(CodvidException.badRequest(EMAIL_UNKNOWN)));
      }
      String userId = user.getString("_id");
      return hasher.verify(password, user.getString("password_hash", "")).compose(matches -> matches
          ? attempt.succeeded().map(v -> new Session(tokens.issue(userId), userId))
          : Future.failedFuture(CodvidException.badRequest(WRONG_PASSWORD)));
    }));
  }

  /** Rewrites emails stored by earlier versions to their canonical form, once per store ({@link EmailMigration}). */
  public Future<Void> migrateStoredEmails() {
    return EmailMigration.run(mongo);
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

  /** The account stored under the email's legacy form, else under its canonical form, else null. */
  private Future<JsonObject> findByEmail(EmailAddress email) {
    List<String> forms = email.storedForms();
    JsonObject query = new JsonObject().put("email", forms.size() == 1 ? forms.get(0) : new JsonObject().put("$in", new JsonArray(forms)));
    return mongo.findWithOptions(Collections.USERS, query, new FindOptions().setLimit(2)).map(found -> {
      for (String form : forms) {
        for (JsonObject user : found) {
          if (form.equals(user.getString("email"))) {
            return user;
          }
        }
      }
      return null;
    });
  }
}
