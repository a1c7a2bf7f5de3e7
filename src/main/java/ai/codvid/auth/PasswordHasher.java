package ai.codvid.auth;

import ai.codvid.config.AppConfig;
import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Argon2id password hashes (OWASP defaults: 19 MiB, 2 passes, 1 lane), computed on the worker
 * pool so the event loop never waits for them.
 */
public final class PasswordHasher {

  private final Vertx vertx;
  private final Argon2Function argon2;

  public PasswordHasher(Vertx vertx, AppConfig config) {
    this.vertx = vertx;
    this.argon2 = Argon2Function.getInstance(
        config.integer("password.argon2_memory_kib", 19456),
        config.integer("password.argon2_iterations", 2),
        config.integer("password.argon2_parallelism", 1),
        32, Argon2.ID);
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> argon2.hash(password).getResult(), false);
  }

  /** True when the password matches; a malformed stored hash never matches. */
  public Future<Boolean> verify(String password, String storedHash) {
    return vertx.executeBlocking(() -> {
      try {
        return Argon2Function.getInstanceFromHash(storedHash).check(password, storedHash);
      } catch (RuntimeException e) {
        return false;
      }
    }, false);
  }
}
