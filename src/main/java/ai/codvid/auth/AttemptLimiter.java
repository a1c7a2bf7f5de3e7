package ai.codvid.auth;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;
import java.util.function.Function;

/**
 * Counts attempts per key and says how long the next one must wait: the first {@code free}
 * attempts go through at once, then each further one must come at least twice as long after
 * the previous one as the one before it did ({@code firstDelay}, 2×, 4× … up to {@code maxDelay}).
 * A key is forgotten {@code window} after its last counted attempt (plus its current delay).
 *
 * <p>Counts live in a shared-data map, cluster-wide when the node is clustered, so spreading
 * attempts over nodes gains nothing. Each change is made under a shared lock (one of 64, chosen
 * by the key), so attempts sent all at once are counted one by one: none slips through because
 * it was checked before the others were counted.
 */
final class AttemptLimiter {

  /** How many attempts are free, the first and longest delay after them, and when a key is forgotten. */
  record Policy(int free, long firstDelayMillis, long maxDelayMillis, long windowMillis) {

    long delayAfter(int count) {
      if (count < free) {
        return 0;
      }
      int doublings = Math.min(count - free, 40);
      long delay = firstDelayMillis;
      for (int i = 0; i < doublings && delay < maxDelayMillis; i++) {
        delay *= 2;
      }
      return Math.min(delay, maxDelayMillis);
    }
  }

  private static final String MAP = "codvid.auth.attempts";
  private static final int LOCK_STRIPES = 64;
  private static final long LOCK_TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final String kind;
  private final Policy policy;

  AttemptLimiter(Vertx vertx, String kind, Policy policy) {
    this.vertx = vertx;
    this.kind = kind;
    this.policy = policy;
  }

  /** Counts one attempt and answers 0, or answers the milliseconds to wait and counts nothing. */
  Future<Long> acquire(String key) {
    return update(key, (state, now) -> {
      long wait = state.last() + policy.delayAfter(state.count()) - now;
      if (state.count() > 0 && wait > 0) {
        return new Change(state, wait);
      }
      return new Change(new State(state.count() + 1, now), 0);
    });
  }

  /** Takes back one counted attempt (one that turned out legitimate, such as a successful login). */
  Future<Void> refund(String key) {
    return update(key, (state, now) -> new Change(new State(Math.max(0, state.count() - 1), state.last()), 0)).mapEmpty();
  }

  /** Forgets every attempt of the key. */
  Future<Void> clear(String key) {
    return update(key, (state, now) -> new Change(new State(0, state.last()), 0)).mapEmpty();
  }

  private record State(int count, long last) {

    static State parse(String stored) {
      if (stored == null) {
        return new State(0, 0);
      }
      int colon = stored.indexOf(':');
      return new State(Integer.parseInt(stored.substring(0, colon)), Long.parseLong(stored.substring(colon + 1)));
    }

    String encode() {
      return count + ":" + last;
    }
  }

  private record Change(State next, long waitMillis) {
  }

  private interface Step {
    Change apply(State state, long now);
  }

  private Future<Long> update(String key, Step step) {
    String entry = kind + "|" + key;
    String lockName = MAP + "#" + Math.floorMod(entry.hashCode(), LOCK_STRIPES);
    return vertx.sharedData().getLockWithTimeout(lockName, LOCK_TIMEOUT_MILLIS)
        .recover(busy -> Future.failedFuture(new CodvidException(FailureCode.UNAVAILABLE,
            "The service is busy. Please retry shortly.")))
        .compose(lock -> locked(lock, m -> m.get(entry).compose(stored -> {
          State state = State.parse(stored);
          Change change = step.apply(state, System.currentTimeMillis());
          if (change.next().equals(state)) {
            return Future.succeededFuture(change.waitMillis());
          }
          Future<?> written = change.next().count() == 0
              ? m.remove(entry)
              : m.put(entry, change.next().encode(), policy.windowMillis() + policy.delayAfter(change.next().count()));
          return written.map(change.waitMillis());
        })));
  }

  private Future<Long> locked(Lock lock, Function<AsyncMap<String, String>, Future<Long>> work) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
        .compose(work)
        .onComplete(done -> lock.release());
  }
}
