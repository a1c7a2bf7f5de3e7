package ai.codvid.auth;

import ai.codvid.TooManyRequests;
import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Slows down password guessing and account farming without letting anyone lock a victim out.
 *
 * <p>Failed logins are counted per client address and per (client address, account), never per
 * account alone: an attacker who guesses a victim's password only slows themselves down, and the
 * victim, from any other address, logs in as usual. After {@code auth.login_max_failures} (5)
 * failures for one account from one address, and after {@code auth.login_address_max_failures}
 * (20) failures from one address over all accounts, each further attempt must wait longer than
 * the one before: {@code auth.first_delay_seconds} (1 s), doubling up to
 * {@code auth.max_delay_seconds} (15 min), answered 429 with {@code Retry-After}. Counts are
 * forgotten {@code auth.login_window_minutes} (15) after the last failure. Signups are counted
 * per client address the same way ({@code auth.signups_per_address} (10) free, forgotten after
 * {@code auth.signup_window_minutes} (60)).
 *
 * <p>Every attempt is counted before its password is checked and handed back when it succeeds,
 * so a burst of concurrent guesses cannot all pass a check made before any of them was counted.
 * The counts live in shared data: cluster-wide when clustered.
 */
public final class LoginThrottle {

  public static final String TOO_MANY_LOGINS = "Too many failed login attempts. Try again in %d second%s.";
  public static final String TOO_MANY_SIGNUPS = "Too many sign-ups from this address. Try again in %d second%s.";

  private final AttemptLimiter perAddress;
  private final AttemptLimiter perAccount;
  private final AttemptLimiter signups;

  public LoginThrottle(Vertx vertx, AppConfig config) {
    long first = Math.round(config.decimal("auth.first_delay_seconds", 1) * 1000);
    long max = Math.round(config.decimal("auth.max_delay_seconds", 900) * 1000);
    long loginWindow = Math.round(config.decimal("auth.login_window_minutes", 15) * 60_000);
    this.perAccount = new AttemptLimiter(vertx, "login",
        new AttemptLimiter.Policy(config.integer("auth.login_max_failures", 5), first, max, loginWindow));
    this.perAddress = new AttemptLimiter(vertx, "login-address",
        new AttemptLimiter.Policy(config.integer("auth.login_address_max_failures", 20), first, max, loginWindow));
    this.signups = new AttemptLimiter(vertx, "signup", new AttemptLimiter.Policy(config.integer("auth.signups_per_address", 10),
        first, max, Math.round(config.decimal("auth.signup_window_minutes", 60) * 60_000)));
  }

  /** One counted login attempt; tell it how it ended. */
  public final class Attempt {

    private final String client;
    private final String pair;

    private Attempt(String client, String pair) {
      this.client = client;
      this.pair = pair;
    }

    /** The password was right: the account's failures from this address are forgotten and the attempt handed back. */
    public Future<Void> succeeded() {
      return perAccount.clear(pair).compose(v -> perAddress.refund(client));
    }
  }

  /**
   * Counts a login attempt for {@code account} from {@code client}, or fails with 429 (and its
   * Retry-After) while that address, or that address for that account, must wait. A failed
   * attempt needs no further call: it stays counted.
   */
  public Future<Attempt> login(String client, String account) {
    String pair = client + "|" + account;
    return perAddress.acquire(client).compose(addressWait -> {
      if (addressWait > 0) {
        return refused(TOO_MANY_LOGINS, addressWait);
      }
      return perAccount.acquire(pair).compose(accountWait -> accountWait > 0
          ? perAddress.refund(client).compose(v -> refused(TOO_MANY_LOGINS, accountWait))
          : Future.succeededFuture(new Attempt(client, pair)));
    });
  }

  /** Counts a signup from {@code client}, or fails with 429 while that address must wait. */
  public Future<Void> signup(String client) {
    return signups.acquire(client).compose(wait -> wait > 0 ? refused(TOO_MANY_SIGNUPS, wait) : Future.succeededFuture());
  }

  private static <T> Future<T> refused(String template, long waitMillis) {
    long seconds = Math.max(1, (waitMillis + 999) / 1000);
    return Future.failedFuture(new TooManyRequests(String.format(template, seconds, seconds == 1 ? "" : "s"), seconds));
  }
}
