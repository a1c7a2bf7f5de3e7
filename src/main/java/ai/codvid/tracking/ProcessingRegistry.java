package ai.codvid.tracking;

import ai.codvid.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Which tasks are being processed right now, anywhere in the cluster: a shared-data map
 * (Hazelcast-backed when clustered) keyed by task id. An entry holds who runs it, since when,
 * its status, the run's event log, and a lease the runner renews while it works.
 *
 * <p>Claiming is atomic ({@code putIfAbsent}, or a compare-and-set over an entry whose lease
 * has expired), so two claims never both win. An entry whose lease expired — its node crashed
 * or froze — counts as not processing and may be claimed again. Every change is a
 * compare-and-set against the value last seen, so a runner that lost its claim notices.
 */
public final class ProcessingRegistry {

  public static final String MAP = "codvid.processing";
  public static final int MAX_LOGS = 100;

  private final Vertx vertx;
  private final String nodeId;
  private final long leaseMillis;

  public ProcessingRegistry(Vertx vertx, String nodeId, long leaseMillis) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.leaseMillis = leaseMillis;
  }

  /** A claimed run: its id and the last value of its entry this holder wrote. */
  public static final class Claim {
    private final String taskId;
    private final String runId;
    private volatile String current;
    private Future<Boolean> tail = Future.succeededFuture(true);

    Claim(String taskId, String runId, String current) {
      this.taskId = taskId;
      this.runId = runId;
      this.current = current;
    }

    public String taskId() {
      return taskId;
    }

    public String runId() {
      return runId;
    }

    public JsonObject entry() {
      return new JsonObject(current);
    }

    /** The run as it is kept with the task once it ended ({@code last_run}). */
    public JsonObject lastRun(String status) {
      JsonObject entry = entry();
      return new JsonObject()
          .put("run_id", runId)
          .put("status", status)
          .put("trigger", entry.getString("trigger"))
          .put("started_at", entry.getLong("started_at"))
          .put("updated_at", entry.getLong("updated_at"))
          .put("ended_at", System.currentTimeMillis() / 1000)
          .put("logs_total", entry.getInteger("logs_total", 0))
          .put("logs", entry.getJsonArray("logs", new JsonArray()));
    }
  }

  public long leaseMillis() {
    return leaseMillis;
  }

  /**
   * Claims the task for a new run, or answers null when a live run holds it. A run whose
   * lease expired is taken over.
   */
  public Future<Claim> claim(String taskId, TaskKind kind, String userId, String trigger) {
    long now = System.currentTimeMillis();
    String runId = UUID.randomUUID().toString();
    String value = new JsonObject()
        .put("task_id", taskId)
        .put("kind", kind.wireName())
        .put("user_id", userId)
        .put("run_id", runId)
        .put("node_id", nodeId)
        .put("trigger", trigger)
        .put("status", "processing")
        .put("started_at", now / 1000)
        .put("updated_at", now / 1000)
        .put("lease_until", now + leaseMillis)
        .put("logs", new JsonArray())
        .encode();
    return map().compose(m -> m.putIfAbsent(taskId, value).compose(previous -> {
      if (previous == null) {
        return Future.succeededFuture(new Claim(taskId, runId, value));
      }
      if (isLive(new JsonObject(previous), now)) {
        return Future.succeededFuture(null);
      }
      return m.replaceIfPresent(taskId, previous, value)
          .map(replaced -> replaced ? new Claim(taskId, runId, value) : null);
    }));
  }

  /** Appends an event to the run's log and publishes it on {@code codvid.progress.<taskId>}. */
  public Future<Boolean> record(Claim claim, JsonObject event) {
    return update(claim, entry -> {
      int seq = entry.getInteger("logs_total", 0) + 1;
      event.put("run_id", claim.runId()).put("seq", seq);
      JsonArray logs = entry.getJsonArray("logs", new JsonArray()).add(event.copy());
      while (logs.size() > MAX_LOGS) {
        logs.remove(0);
      }
      return entry.put("logs", logs).put("logs_total", seq)
          .put("updated_at", event.getLong("timestamp"))
          .put("lease_until", System.currentTimeMillis() + leaseMillis);
    }).onSuccess(ours -> {
      if (ours) {
        vertx.eventBus().publish(Addresses.progress(claim.taskId()), event.copy().put("task_id", claim.taskId()));
      }
    });
  }

  /** Extends the lease; false when the claim was lost. */
  public Future<Boolean> renew(Claim claim) {
    return update(claim, entry -> entry.put("lease_until", System.currentTimeMillis() + leaseMillis));
  }

  /** Removes the entry if it is still this claim's. */
  public Future<Void> release(Claim claim) {
    synchronized (claim) {
      Future<Boolean> released = claim.tail.transform(ignored ->
          map().compose(m -> m.removeIfPresent(claim.taskId(), claim.current)));
      claim.tail = released.map(false);
      return released.mapEmpty();
    }
  }

  /**
   * Takes over, on the node that runs it, a claim made elsewhere (e.g. by the HTTP node that
   * received force_scrape): null when the entry is gone or belongs to another run.
   */
  public Future<Claim> adopt(String taskId, String runId) {
    return map().compose(m -> m.get(taskId)).map(value -> {
      if (value == null || !runId.equals(new JsonObject(value).getString("run_id"))) {
        return null;
      }
      return new Claim(taskId, runId, value);
    });
  }

  /** The live entry of a task, or null when nothing processes it (or its lease expired). */
  public Future<JsonObject> live(String taskId) {
    return map().compose(m -> m.get(taskId)).map(value -> {
      if (value == null) {
        return null;
      }
      JsonObject entry = new JsonObject(value);
      return isLive(entry, System.currentTimeMillis()) ? entry : null;
    });
  }

  /** How many entries the registry holds (live or expired). */
  public Future<Integer> size() {
    return map().compose(AsyncMap::size);
  }

  /** Changes of one claim are applied one after the other, so they never race each other's CAS. */
  private Future<Boolean> update(Claim claim, UnaryOperator<JsonObject> change) {
    synchronized (claim) {
      Future<Boolean> next = claim.tail.transform(ignored -> compareAndSet(claim, change));
      claim.tail = next;
      return next;
    }
  }

  private Future<Boolean> compareAndSet(Claim claim, UnaryOperator<JsonObject> change) {
    return map().compose(m -> {
      JsonObject current = new JsonObject(claim.current);
      if (!claim.runId.equals(current.getString("run_id"))) {
        return Future.succeededFuture(false);
      }
      String next = change.apply(current).encode();
      return m.replaceIfPresent(claim.taskId, claim.current, next).map(replaced -> {
        if (replaced) {
          claim.current = next;
        }
        return replaced;
      });
    });
  }

  private static boolean isLive(JsonObject entry, long now) {
    return entry.getLong("lease_until", 0L) > now;
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
