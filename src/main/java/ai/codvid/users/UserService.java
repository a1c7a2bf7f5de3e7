package ai.codvid.users;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.auth.JwtTokens;
import ai.codvid.auth.LoginThrottle;
import ai.codvid.auth.PasswordHasher;
import ai.codvid.auth.PasswordPolicy;
import ai.codvid.store.Collections;
import ai.codvid.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
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

  public UserService(Vertx vertx, MongoClient mongo, PasswordHasher hasher, JwtTokens tokens, LoginThrottle throttle) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.hasher = hasher;
    this.tokens = tokens;
    this.throttle = throttle;
    this.passwords = vertx.executeBlocking(PasswordPolicy::load, false);
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
   * Deletes everything the user owns, then the user, then tells every node to forget the
   * user's sessions. If a step fails the account remains, so the client can simply retry.
   */
  public Future<Void> delete(String userId) {
    JsonObject owned = new JsonObject().put("user_id", userId);
    List<Future<?>> cascade = new ArrayList<>();
    for (String collection : Collections.OWNED_BY_USER) {
      cascade.add(mongo.removeDocuments(collection, owned));
    }
    return Future.all(cascade)
        .compose(v -> mongo.removeDocument(Collections.USERS, new JsonObject().put("_id", userId)))
        .onSuccess(v -> vertx.eventBus().publish(Addresses.USERS_DELETED, new JsonObject().put("user_id", userId)))
        .mapEmpty();
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
