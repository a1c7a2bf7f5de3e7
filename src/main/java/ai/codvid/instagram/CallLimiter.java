package ai.codvid.instagram;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * At most {@code maxConcurrent} calls in flight on this node; further calls wait in a bounded
 * FIFO queue and start on their caller's context when a slot frees. A call offered while the
 * queue is full fails at once with UNAVAILABLE (503). Safe to share between event loops.
 */
final class CallLimiter {

  private final Vertx vertx;
  private final int maxConcurrent;
  private final int maxQueued;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

  CallLimiter(Vertx vertx, int maxConcurrent, int maxQueued) {
    this.vertx = vertx;
    this.maxConcurrent = maxConcurrent;
    this.maxQueued = maxQueued;
  }

  <T> Future<T> run(Supplier<Future<T>> call) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    Runnable start = () -> context.runOnContext(ignored -> startNow(call, promise));
    synchronized (this) {
      if (inFlight < maxConcurrent) {
        inFlight++;
      } else if (waiting.size() < maxQueued) {
        waiting.add(start);
        return promise.future();
      } else {
        return Future.failedFuture(new CodvidException(FailureCode.UNAVAILABLE,
            "Too many Instagram fetches in progress, try again in a moment"));
      }
    }
    startNow(call, promise);
    return promise.future();
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int queued() {
    return waiting.size();
  }

  private <T> void startNow(Supplier<Future<T>> call, Promise<T> promise) {
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      release();
      promise.handle(done);
    });
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
      }
    }
    if (next != null) {
      next.run();
    }
  }
}
