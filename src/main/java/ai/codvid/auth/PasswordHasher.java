package ai.codvid.auth;

import ai.codvid.config.AppConfig;
import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashes (OWASP defaults: 19 MiB, 2 passes, 1 lane), computed off the event
 * loop on a small pool of their own ({@code password.max_concurrent_hashes}, default one per
 * core), so a burst of logins queues instead of holding 19 MiB per worker thread at once and
 * starving other blocking work.
 *
 * <p>A login for an email with no account checks the password against a hash of a random value
 * made with the same settings ({@link #verifyUnknown}), so it costs what a wrong password for a
 * real account costs and its timing does not tell whether the email has an account.
 */
public final class PasswordHasher {

  private final WorkerExecutor workers;
  private final Argon2Function argon2;
  private final Future<String> dummyHash;

  public PasswordHasher(Vertx vertx, AppConfig config) {
    this.workers = vertx.createSharedWorkerExecutor("codvid-password-hashing",
        Math.max(1, config.integer("password.max_concurrent_hashes", Runtime.getRuntime().availableProcessors())));
    this.argon2 = Argon2Function.getInstance(
        config.integer("password.argon2_memory_kib", 19456),
        config.integer("password.argon2_iterations", 2),
        config.integer("password.argon2_parallelism", 1),
        32, Argon2.ID);
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String nobody = Base64.getEncoder().encodeToString(random);
    this.dummyHash = workers.executeBlocking(() -> argon2.hash(nobody).getResult(), false);
  }

  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> argon2.hash(password).getResult(), false);
  }

  /** The same work as {@link #verify} for an account that does not exist; always false. */
  public Future<Boolean> verifyUnknown(String password) {
    return dummyHash.compose(hash -> verify(password, hash)).map(false);
  }

  /** True when the password matches; a malformed stored hash never matches. */
  public Future<Boolean> verify(String password, String storedHash) {
    return workers.executeBlocking(() -> {
      try {
        return Argon2Function.getInstanceFromHash(storedHash).check(password, storedHash);
      } catch (RuntimeException e) {
        return false;
      }
    }, false);
  }
}
