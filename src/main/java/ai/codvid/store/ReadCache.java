package ai.codvid.store;

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
 * Encoded answers of a user's reads (the task list, a task, its status and sentiment summary,
 * project list and data), kept for a few seconds so polling clients do not cost a store query
 * and a JSON encoding per request.
 *
 * <p>Every write that changes what a user may read goes through {@link #changed(String)}: the
 * user's entries are dropped on this node at once and, through a publish on
 * {@link Addresses#TASKS_CHANGED} (cluster-wide when clustered), on every other node; a deleted
 * account's entries go on {@link Addresses#USERS_DELETED}. An answer read while a write was
 * happening is not kept (per-user version check), concurrent misses for one entry share one
 * load, every entry expires after its time to live in any case (so a lost notification costs
 * at most that much staleness), and the cache never holds more than {@code maxBytes}.
 */
public final class ReadCache {

  /** The key of the get_tasks answer (its time to live is {@code tracking.list_cache_ms}). */
  public static final String TASK_LIST = "tasks";
  private static final int MAX_USERS = 50_000;

  private record Entry(Buffer body, long expiresAt) {
  }

  /** A freshly read answer, and whether it may be kept (an answer about a running scrape may not). */
  public record Answer(Buffer body, boolean keep) {
  }

  private final Vertx vertx;
  private final long listTtlMillis;
  private final long readTtlMillis;
  private final long maxBytes;
  private final Map<String, Map<String, Entry>> entries = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
  private final Map<String, Future<Buffer>> loading = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final MessageConsumer<JsonObject> changes;
  private final MessageConsumer<JsonObject> deletions;

  public ReadCache(Vertx vertx, long listTtlMillis, long readTtlMillis, long maxBytes) {
    this.vertx = vertx;
    this.listTtlMillis = listTtlMillis;
    this.readTtlMillis = readTtlMillis;
    this.maxBytes = maxBytes;
    this.changes = vertx.eventBus().consumer(Addresses.TASKS_CHANGED, message -> evict(message.body().getString("user_id")));
    this.deletions = vertx.eventBus().consumer(Addresses.USERS_DELETED, message -> evict(message.body().getString("user_id")));
  }

  public Future<Void> ready() {
    return Future.all(changes.completion(), deletions.completion()).mapEmpty();
  }

  /** The cached get_tasks answer of a user, or a fresh one from {@code load}. */
  public Future<Buffer> get(String userId, Supplier<Future<Buffer>> load) {
    return get(userId, TASK_LIST, load);
  }

  /**
   * The cached answer {@code key} of a user, or a fresh one from {@code load} (kept only if no
   * write of the user happened meanwhile; a failed load is not kept). Concurrent misses share a
   * single load.
   */
  public Future<Buffer> get(String userId, String key, Supplier<Future<Buffer>> load) {
    return getAnswer(userId, key, () -> load.get().map(body -> new Answer(body, true)));
  }

  /** As {@link #get(String, String, Supplier)}, for answers that are not always worth keeping. */
  public Future<Buffer> getAnswer(String userId, String key, Supplier<Future<Answer>> load) {
    long ttl = TASK_LIST.equals(key) ? listTtlMillis : readTtlMillis;
    long now = System.currentTimeMillis();
    Map<String, Entry> ofUser = entries.get(userId);
    Entry entry = ofUser == null ? null : ofUser.get(key);
    if (entry != null && entry.expiresAt() > now) {
      return Future.succeededFuture(entry.body());
    }
    if (ttl <= 0) {
      return load.get().map(Answer::body);
    }
    String loadKey = userId + '\u0000' + key;
    Future<Buffer> pending = loading.get(loadKey);
    if (pending != null) {
      return pending;
    }
    long version = version(userId);
    long gen = generation.get();
    Future<Answer> answer = load.get();
    Future<Buffer> fresh = answer.map(Answer::body);
    loading.put(loadKey, fresh);
    return answer.onComplete(done -> {
      loading.remove(loadKey, fresh);
      if (done.succeeded() && done.result().keep() && version(userId) == version && generation.get() == gen) {
        keep(userId, key, new Entry(done.result().body(), System.currentTimeMillis() + ttl));
      }
    }).map(Answer::body);
  }

  private void keep(String userId, String key, Entry entry) {
    if (entries.size() > MAX_USERS || bytes.get() + entry.body().length() > maxBytes) {
      clear();
    }
    Entry previous = entries.computeIfAbsent(userId, k -> new ConcurrentHashMap<>()).put(key, entry);
    bytes.addAndGet(entry.body().length() - (previous == null ? 0 : previous.body().length()));
  }

  /** A user's data changed (null: someone's, unknown whose): forget their answers here and on every node. */
  public void changed(String userId) {
    evict(userId);
    vertx.eventBus().publish(Addresses.TASKS_CHANGED, new JsonObject().put("user_id", userId));
  }

  private void evict(String userId) {
    if (userId == null) {
      clear();
      return;
    }
    versions.computeIfAbsent(userId, k -> new AtomicLong()).incrementAndGet();
    Map<String, Entry> removed = entries.remove(userId);
    if (removed != null) {
      removed.values().forEach(e -> bytes.addAndGet(-e.body().length()));
    }
    loading.keySet().removeIf(k -> k.startsWith(userId + '\u0000'));
    if (versions.size() > MAX_USERS) {
      clear();
    }
  }

  private void clear() {
    generation.incrementAndGet();
    versions.clear();
    entries.clear();
    loading.clear();
    bytes.set(0);
  }

  private long version(String userId) {
    AtomicLong v = versions.get(userId);
    return v == null ? 0 : v.get();
  }

  /** Bytes held (for tests and metrics). */
  public long bytes() {
    return bytes.get();
  }

  public Future<Void> close() {
    return Future.all(changes.unregister(), deletions.unregister()).mapEmpty();
  }
}
