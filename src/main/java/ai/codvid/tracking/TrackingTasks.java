package ai.codvid.tracking;

import ai.codvid.CodvidException;
import ai.codvid.store.Collections;
import ai.codvid.store.DeletedUsers;
import ai.codvid.store.Limits;
import ai.codvid.store.MongoErrors;
import ai.codvid.store.ReadCache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The stored tracking tasks of both kinds, their run results and their history. Every read and
 * write by a user is scoped to that user: another user's task is "not found", exactly as an
 * unknown id.
 *
 * <p>Every change a user could read drops the user's cached reads on all nodes
 * ({@link ReadCache#changed}); creates respect the account's {@link Limits} and are taken back
 * if the account was deleted meanwhile ({@link DeletedUsers}); tasks of deleted accounts are
 * neither run nor scheduled.
 */
public final class TrackingTasks {

  public static final String NOT_FOUND = "Task not found or access denied";
  public static final String ACTIVE = "active";
  public static final String PAUSED = "paused";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrackingTasks.class);

  private final MongoClient mongo;
  private final ReadCache reads;
  private final DeletedUsers deleted;
  private final Limits limits;
  private volatile HistorySink history = HistorySink.NONE;

  public TrackingTasks(MongoClient mongo, ReadCache reads, DeletedUsers deleted, Limits limits) {
    this.mongo = mongo;
    this.reads = reads;
    this.deleted = deleted;
    this.limits = limits;
  }

  /** Tells {@code sink} about every snapshot stored and every task deleted from now on. */
  public void historySink(HistorySink sink) {
    this.history = sink;
  }

  /** The cache of users' reads, which every change below keeps honest. */
  public ReadCache reads() {
    return reads;
  }

  private <T> Future<T> changing(String userId, Future<T> write) {
    return write.onComplete(done -> reads.changed(userId))
        .recover(failure -> Future.failedFuture(MongoErrors.toDomain(failure)));
  }

  /** A task document and its kind. */
  public record Located(TaskKind kind, JsonObject doc) {
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static long intervalSeconds(double days) {
    return Math.max(1, Math.round(days * 86_400));
  }

  // ---- creating ----

  public Future<JsonObject> createProfile(String userId, String username, boolean competitor, double intervalDays) {
    String id = UUID.randomUUID().toString();
    long now = now();
    JsonObject doc = base(id, userId, intervalDays, now)
        .put("target_profile", username)
        .put("is_competitor", competitor)
        .put("target_profile_data", null);
    return Limits.within("profile_tasks/" + userId, limits.profileTasksPerUser(),
            () -> mongo.count(Collections.PROFILE_TASKS, new JsonObject().put("user_id", userId)),
            CodvidException.conflict("Limit reached: an account can track at most " + limits.profileTasksPerUser()
                + " profiles; delete one first"),
            () -> changing(userId, deleted.guardCreated(userId, Collections.PROFILE_TASKS, id, mongo.insert(Collections.PROFILE_TASKS, doc))))
        .recover(failure -> Future.failedFuture(MongoErrors.isDuplicateKey(failure)
            ? CodvidException.conflict("Profile @" + username + " is already being tracked")
            : failure))
        .map(doc);
  }

  public Future<JsonObject> createReel(String userId, String project, String reelUrl, String reelId, double intervalDays) {
    String id = UUID.randomUUID().toString();
    JsonObject doc = base(id, userId, intervalDays, now())
        .put("project_name", project)
        .put("reel_url", reelUrl)
        .put("reel_id", reelId)
        .put("reel_data", null);
    return Limits.within("reel_tasks/" + userId + "/" + project, limits.reelTasksPerProject(),
            () -> mongo.count(Collections.REEL_TASKS, new JsonObject().put("user_id", userId).put("project_name", project)),
            CodvidException.conflict("Limit reached: a project can track at most " + limits.reelTasksPerProject()
                + " reels; delete one first"),
            () -> changing(userId, deleted.guardCreated(userId, Collections.REEL_TASKS, id, mongo.insert(Collections.REEL_TASKS, doc))))
        .recover(failure -> Future.failedFuture(MongoErrors.isDuplicateKey(failure)
            ? CodvidException.conflict("This reel is already tracked in project '" + project + "'")
            : failure))
        .map(doc);
  }

  private static JsonObject base(String id, String userId, double intervalDays, long now) {
    return new JsonObject()
        .put("_id", id)
        .put("task_id", id)
        .put("user_id", userId)
        .put("status", ACTIVE)
        .put("created_at", now)
        .put("created_at_ms", System.currentTimeMillis())
        .put("last_scraped", null)
        .put("next_scrape_due", now)
        .put("scrape_interval_days", intervalDays)
        .put("last_error", null)
        .put("consecutive_failures", 0)
        .put("lease_until_ms", null)
        .put("last_run", null);
  }

  // ---- reading ----

  public Future<JsonObject> find(TaskKind kind, String userId, String taskId) {
    return findOwned(kind, userId, taskId)
        .compose(doc -> doc == null ? Future.failedFuture(CodvidException.notFound(NOT_FOUND)) : Future.succeededFuture(doc));
  }

  /** A task of either kind. */
  public Future<Located> locate(String userId, String taskId) {
    return findOwned(TaskKind.PROFILE, userId, taskId).compose(profile -> {
      if (profile != null) {
        return Future.succeededFuture(new Located(TaskKind.PROFILE, profile));
      }
      return findOwned(TaskKind.REEL, userId, taskId).compose(reel -> reel == null
          ? Future.failedFuture(CodvidException.notFound(NOT_FOUND))
          : Future.succeededFuture(new Located(TaskKind.REEL, reel)));
    });
  }

  /**
   * Looks the task up by primary key alone (the one index every store serves fast, the
   * embedded one included) and checks the owner here; null for another user's task.
   */
  private Future<JsonObject> findOwned(TaskKind kind, String userId, String taskId) {
    return mongo.findOne(kind.collection(), new JsonObject().put("_id", taskId), null)
        .map(doc -> doc != null && userId.equals(doc.getString("user_id")) ? doc : null);
  }

  /** Any task by id, whoever owns it (for the runner); null when it is gone or its account was deleted. */
  public Future<JsonObject> findAny(TaskKind kind, String taskId) {
    return mongo.findOne(kind.collection(), new JsonObject().put("_id", taskId), null)
        .map(doc -> doc == null || deleted.knownDeleted(doc.getString("user_id")) ? null : doc);
  }

  /** The user's profile tasks, oldest first, without their data. Sorted here: a user has few tasks. */
  public Future<List<JsonObject>> listProfiles(String userId) {
    return mongo.findWithOptions(Collections.PROFILE_TASKS, new JsonObject().put("user_id", userId),
            new FindOptions().setFields(new JsonObject().put("target_profile_data", 0).put("last_run", 0)))
        .map(TrackingTasks::oldestFirst);
  }

  public Future<List<JsonObject>> listReels(String userId, String project) {
    return mongo.findWithOptions(Collections.REEL_TASKS,
            new JsonObject().put("user_id", userId).put("project_name", project),
            new FindOptions().setFields(new JsonObject().put("last_run", 0)))
        .map(TrackingTasks::oldestFirst);
  }

  private static List<JsonObject> oldestFirst(List<JsonObject> docs) {
    docs.sort(java.util.Comparator.comparingLong((JsonObject d) -> d.getLong("created_at_ms", d.getLong("created_at", 0L) * 1000))
        .thenComparing(d -> d.getString("_id", "")));
    return docs;
  }

  // ---- changing ----

  /**
   * Applies the given settings (any of is_competitor, status, scrape_interval_days); a new
   * interval moves {@code next_scrape_due} to {@code last_scraped + interval}, or
   * {@code now + interval} when never scraped.
   */
  public Future<JsonObject> update(TaskKind kind, String userId, String taskId, Boolean competitor, String status, Double intervalDays) {
    return find(kind, userId, taskId).compose(doc -> {
      JsonObject set = new JsonObject();
      if (competitor != null) {
        set.put("is_competitor", competitor);
      }
      if (status != null) {
        set.put("status", status);
        if (ACTIVE.equals(status) && !ACTIVE.equals(doc.getString("status"))) {
          set.put("consecutive_failures", 0);
        }
      }
      if (intervalDays != null) {
        Long last = doc.getLong("last_scraped");
        set.put("scrape_interval_days", intervalDays)
            .put("next_scrape_due", (last != null ? last : now()) + intervalSeconds(intervalDays));
      }
      return changing(userId, mongo.findOneAndUpdateWithOptions(kind.collection(), owned(userId, taskId), new JsonObject().put("$set", set),
              new io.vertx.ext.mongo.FindOptions(), new UpdateOptions().setReturningNewDocument(true)))
          .compose(updated -> updated == null ? Future.failedFuture(CodvidException.notFound(NOT_FOUND)) : Future.succeededFuture(updated));
    });
  }

  /** Deletes a task and its history; answers the deleted document. */
  public Future<JsonObject> delete(TaskKind kind, String userId, String taskId) {
    return changing(userId, mongo.findOneAndDelete(kind.collection(), owned(userId, taskId))).compose(doc -> doc == null
        ? Future.failedFuture(CodvidException.notFound(NOT_FOUND))
        : mongo.removeDocuments(Collections.TASK_HISTORY, new JsonObject().put("user_id", userId).put("task_id", taskId))
            .compose(removed -> history.deleted(userId, taskId)).map(doc));
  }

  // ---- run results ----

  /**
   * Stores a successful scrape: one history snapshot, then the data, the schedule and no error on
   * the task (so whoever sees the new data also finds its snapshot). Answers false, and takes
   * the snapshot back, when the task no longer exists (deleted during the run); a snapshot for a
   * deleted account is refused by the store.
   */
  public Future<Boolean> storeSuccess(TaskKind kind, JsonObject doc, JsonObject data, JsonObject summary) {
    long nowMs = System.currentTimeMillis();
    long now = nowMs / 1000;
    String userId = doc.getString("user_id");
    String taskId = doc.getString("_id");
    String dataField = kind == TaskKind.PROFILE ? "target_profile_data" : "reel_data";
    double interval = doc.getDouble("scrape_interval_days", 2.0);
    JsonObject set = new JsonObject()
        .put(dataField, data)
        .put("last_scraped", now)
        .put("last_scraped_ms", nowMs)
        .put("next_scrape_due", now + intervalSeconds(interval))
        .put("last_error", null)
        .put("consecutive_failures", 0)
        .put("lease_until_ms", null)
        .put("source", data.getString("source"));
    String snapshotId = UUID.randomUUID().toString();
    JsonObject snapshot = new JsonObject()
        .put("_id", snapshotId)
        .put("task_id", taskId)
        .put("user_id", userId)
        .put("kind", kind.wireName())
        .put("scraped_at", now)
        .put("scraped_at_ms", nowMs)
        .put("sentiment_summary", summary)
        .put("data", data);
    JsonObject figures = figures(kind, data, snapshotId, now, nowMs);
    if (figures != null) {
      snapshot.put("figures", figures);
    }
    // the snapshot first: whoever sees last_scraped move finds its snapshot in the history;
    // a snapshot of a deleted account is refused by the store
    JsonObject stored = new JsonObject().put("_id", snapshotId);
    return deleted.guardCreated(userId, Collections.TASK_HISTORY, snapshotId, mongo.insert(Collections.TASK_HISTORY, snapshot))
        .compose(id -> changing(userId,
                mongo.updateCollection(kind.collection(), new JsonObject().put("_id", taskId), new JsonObject().put("$set", set)))
            .recover(failure -> mongo.removeDocument(Collections.TASK_HISTORY, stored).transform(x -> Future.failedFuture(failure))))
        .compose(result -> {
          if (result.getDocMatched() == 0) { // deleted during the run: its history went with it
            return mongo.removeDocument(Collections.TASK_HISTORY, stored).map(false);
          }
          return history.stored(kind, doc, snapshot).recover(e -> {
            LOG.warn("History of task {} stored, but its derived views were not updated: {}", taskId, e.toString());
            return Future.succeededFuture();
          }).map(true);
        })
        .recover(failure -> Future.failedFuture(MongoErrors.toDomain(failure)));
  }

  /** The sink's figures for a new snapshot; a failure there costs the figures, never the snapshot. */
  private JsonObject figures(TaskKind kind, JsonObject data, String snapshotId, long now, long nowMs) {
    try {
      return history.figures(kind, data, snapshotId, now, nowMs);
    } catch (RuntimeException e) {
      LOG.warn("Could not compute the figures of snapshot {}: {}", snapshotId, e.toString());
      return null;
    }
  }

  /**
   * Records a failed scrape without touching the last good data: the error, and a retry after
   * a backoff that doubles from {@code firstRetrySeconds} up to the task's interval.
   */
  public Future<Void> storeFailure(TaskKind kind, JsonObject doc, String message, long firstRetrySeconds) {
    long now = now();
    int failures = doc.getInteger("consecutive_failures", 0) + 1;
    long interval = intervalSeconds(doc.getDouble("scrape_interval_days", 2.0));
    long backoff = Math.min(interval, firstRetrySeconds << Math.min(20, failures - 1));
    JsonObject set = new JsonObject()
        .put("last_error", new JsonObject().put("message", message).put("at", now))
        .put("consecutive_failures", failures)
        .put("next_scrape_due", now + backoff)
        .put("lease_until_ms", null);
    return changing(doc.getString("user_id"),
        mongo.updateCollection(kind.collection(), new JsonObject().put("_id", doc.getString("_id")), new JsonObject().put("$set", set)))
        .mapEmpty();
  }

  /** Keeps the log of the run that just ended with the task, so it stays readable (task_status shows it). */
  public Future<Void> storeLastRun(TaskKind kind, String taskId, JsonObject lastRun) {
    return mongo.findOneAndUpdate(kind.collection(), new JsonObject().put("_id", taskId),
            new JsonObject().put("$set", new JsonObject().put("last_run", lastRun)))
        .onSuccess(doc -> {
          if (doc != null) {
            reads.changed(doc.getString("user_id"));
          }
        })
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(MongoErrors.toDomain(failure)));
  }

  /**
   * Marks the task as being run: due now (unless already overdue) with a store lease that the
   * runner renews. If the runner's node dies, the lease expires and the scheduler of any node
   * claims the task again, forced runs included.
   */
  public Future<Void> markRunning(TaskKind kind, String userId, String taskId, long leaseMillis) {
    return changing(userId, mongo.updateCollection(kind.collection(), new JsonObject().put("_id", taskId), new JsonObject()
        .put("$min", new JsonObject().put("next_scrape_due", now()))
        .put("$set", new JsonObject().put("lease_until_ms", System.currentTimeMillis() + leaseMillis)))).mapEmpty();
  }

  /** Extends the store lease of a running task. */
  public Future<Void> renewLease(TaskKind kind, String taskId, long leaseMillis) {
    return mongo.updateCollection(kind.collection(), new JsonObject().put("_id", taskId),
        new JsonObject().put("$set", new JsonObject().put("lease_until_ms", System.currentTimeMillis() + leaseMillis))).mapEmpty();
  }

  /** Makes the task due now with no lease, so the next scheduler tick anywhere takes it. */
  public Future<Void> handBack(TaskKind kind, String userId, String taskId) {
    return changing(userId, mongo.updateCollection(kind.collection(), new JsonObject().put("_id", taskId),
        new JsonObject().put("$set", new JsonObject().put("next_scrape_due", now()).put("lease_until_ms", null)))).mapEmpty();
  }

  // ---- scheduling ----

  /**
   * Atomically claims one due, active task whose lease is free or expired, leasing it to this
   * node; null when none is due.
   */
  public Future<JsonObject> claimDue(TaskKind kind, long leaseMillis, String nodeId) {
    long nowMs = System.currentTimeMillis();
    JsonObject query = new JsonObject()
        .put("status", ACTIVE)
        .put("next_scrape_due", new JsonObject().put("$lte", nowMs / 1000))
        .put("$or", new JsonArray()
            .add(new JsonObject().put("lease_until_ms", null))
            .add(new JsonObject().put("lease_until_ms", new JsonObject().put("$lte", nowMs))));
    JsonObject update = new JsonObject().put("$set", new JsonObject()
        .put("lease_until_ms", nowMs + leaseMillis)
        .put("lease_owner", nodeId));
    return mongo.findOneAndUpdate(kind.collection(), query, update).compose(doc -> {
      if (doc != null && deleted.knownDeleted(doc.getString("user_id"))) {
        // an orphan of a deleted account (a sweep will get it too): remove it instead of scraping it
        return mongo.removeDocument(kind.collection(), new JsonObject().put("_id", doc.getString("_id")))
            .compose(v -> claimDue(kind, leaseMillis, nodeId));
      }
      return Future.succeededFuture(doc);
    });
  }

  /** True while the task is still due (re-checked after a claim, so a run that just ended is not repeated). */
  public Future<Boolean> stillDue(TaskKind kind, String taskId) {
    return mongo.count(kind.collection(), new JsonObject().put("_id", taskId).put("status", ACTIVE)
        .put("next_scrape_due", new JsonObject().put("$lte", now()))).map(n -> n > 0);
  }

  // ---- history ----

  public Future<List<JsonObject>> history(String userId, String taskId, int limit) {
    return mongo.findWithOptions(Collections.TASK_HISTORY, new JsonObject().put("user_id", userId).put("task_id", taskId),
        new FindOptions().setSort(new JsonObject().put("scraped_at_ms", -1)).setLimit(limit));
  }

  private static JsonObject owned(String userId, String taskId) {
    return new JsonObject().put("_id", taskId).put("user_id", userId);
  }
}
