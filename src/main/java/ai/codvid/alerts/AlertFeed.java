package ai.codvid.alerts;

import ai.codvid.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live feed of fired alerts for the sockets and streams of one HTTP verticle: one event-bus
 * consumer per user with live followers ({@code codvid.alerts.<userId>}, cluster-wide), shared by
 * all of that user's sockets here, so alerts evaluated on any node reach them.
 */
public final class AlertFeed {

  private final Vertx vertx;
  private final Map<String, Follow> follows = new ConcurrentHashMap<>();

  private record Follow(MessageConsumer<JsonObject> consumer, Set<Consumer<JsonObject>> sinks) {
  }

  public AlertFeed(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends every alert of the user to {@code sink} ({@code {"type": "alert", ...}}) from the moment
   * the returned future completes; running the answered action stops it.
   */
  public Future<Runnable> follow(String userId, Consumer<JsonObject> sink) {
    Follow follow = follows.computeIfAbsent(userId, id -> {
      Set<Consumer<JsonObject>> sinks = ConcurrentHashMap.newKeySet();
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.alerts(id),
          message -> sinks.forEach(s -> s.accept(message.body())));
      return new Follow(consumer, sinks);
    });
    follow.sinks().add(sink);
    Runnable stop = () -> follows.computeIfPresent(userId, (id, f) -> {
      f.sinks().remove(sink);
      if (f.sinks().isEmpty()) {
        f.consumer().unregister();
        return null;
      }
      return f;
    });
    return follow.consumer().completion().map(v -> stop).onFailure(e -> stop.run());
  }

  /** Users with live followers here (for tests and metrics). */
  int users() {
    return follows.size();
  }
}
