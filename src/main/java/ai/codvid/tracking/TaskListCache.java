package ai.codvid.tracking;

import ai.codvid.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The encoded get_tasks answer of each user, kept for a few seconds so a polling client does not
 * cost a store query per request.
 *
 * <p>Every write that changes what the list shows goes through {@link #changed(String)}: the
 * entry is dropped on this node at once and, through a publish on {@link Addresses#TASKS_CHANGED}
 * (cluster-wide when clustered), on every other node. A list read while a write was happening is
 * not kept (per-user version check), and every entry expires after {@code ttlMillis} in any
 * case, so a lost notification costs at most that much staleness.
 */
public final class TaskListCache {

  private static final int MAX_USERS = 50_000;

  private record Entry(Buffer body, long expiresAt) {
  }

  private final Vertx vertx;
  private final long ttlMillis;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
  private final Map<String, Future<Buffer>> loading = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final MessageConsumer<JsonObject> consumer;

  public TaskListCache(Vertx vertx, long ttlMillis) {
    this.vertx = vertx;
    this.ttlMillis = ttlMillis;
    this.consumer = vertx.eventBus().consumer(Addresses.TASKS_CHANGED, message -> evict(message.body().getString("user_id")));
  }

  public Future<Void> ready() {
    return consumer.completion();
  }

  /**
   * The cached body, or a fresh one from {@code load} (kept only if no write happened meanwhile).
   * Concurrent misses for one user share a single load, so an expiring entry under load costs
   * one store query, not one per waiting request.
   */
  public Future<Buffer> get(String userId, Supplier<Future<Buffer>> load) {
    long now = System.currentTimeMillis();
    Entry entry = entries.get(userId);
    if (entry != null && entry.expiresAt() > now) {
      return Future.succeededFuture(entry.body());
    }
    if (ttlMillis <= 0) {
      return load.get();
    }
    long version = version(userId);
    long gen = generation.get();
    Future<Buffer> pending = loading.get(userId);
    if (pending != null) {
      return pending;
    }
    Future<Buffer> fresh = load.get();
    loading.put(userId, fresh);
    return fresh.onComplete(done -> {
      loading.remove(userId, fresh);
      if (done.succeeded() && version(userId) == version && generation.get() == gen) {
        if (entries.size() > MAX_USERS) {
          entries.clear();
        }
        entries.put(userId, new Entry(done.result(), System.currentTimeMillis() + ttlMillis));
      }
    });
  }

  /** A user's tasks changed (null: someone's, unknown whose): forget the list here and on every node. */
  public void changed(String userId) {
    evict(userId);
    vertx.eventBus().publish(Addresses.TASKS_CHANGED, new JsonObject().put("user_id", userId));
  }

  private void evict(String userId) {
    if (userId == null) {
      generation.incrementAndGet();
      entries.clear();
      loading.clear();
      return;
    }
    versions.computeIfAbsent(userId, k -> new AtomicLong()).incrementAndGet();
    entries.remove(userId);
    loading.remove(userId);
    if (versions.size() > MAX_USERS) {
      generation.incrementAndGet();
      versions.clear();
      entries.clear();
    }
  }

  private long version(String userId) {
    AtomicLong v = versions.get(userId);
    return v == null ? 0 : v.get();
  }

  public Future<Void> close() {
    return consumer.unregister();
  }
}
