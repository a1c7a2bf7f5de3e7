package ai.codvid.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Polls an asynchronous condition on a timer until it holds or the deadline passes. */
public final class Polling {

  /** Completes with the first non-null value of {@code probe}; fails after {@code timeoutMillis}. */
  public static <T> Future<T> until(Vertx vertx, long intervalMillis, long timeoutMillis, Supplier<Future<T>> probe) {
    Promise<T> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    poll(vertx, intervalMillis, deadline, probe, done);
    return done.future();
  }

  private static <T> void poll(Vertx vertx, long interval, long deadline, Supplier<Future<T>> probe, Promise<T> done) {
    probe.get().onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        done.tryComplete(ar.result());
      } else if (System.currentTimeMillis() > deadline) {
        done.tryFail(ar.failed() ? ar.cause() : new IllegalStateException("condition not met in time"));
      } else {
        vertx.setTimer(interval, id -> poll(vertx, interval, deadline, probe, done));
      }
    });
  }

  private Polling() {
  }
}
