package ai.codvid.tracking;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.tracking.ProcessingRegistry.Claim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts scrape runs: claims the task in the processing registry (the loser of a race gets
 * 409), then hands the run to a scraper worker over the event bus without waiting for it.
 * Answers the status of a task from its live registry entry or its last kept run.
 */
public final class TrackingService {

  private static final Logger LOG = LoggerFactory.getLogger(TrackingService.class);
  public static final String ALREADY_PROCESSING = "Task is already being processed";

  private final Vertx vertx;
  private final ProcessingRegistry registry;
  private final TrackingTasks tasks;
  private final DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(10_000);

  public TrackingService(Vertx vertx, ProcessingRegistry registry, TrackingTasks tasks) {
    this.vertx = vertx;
    this.registry = registry;
    this.tasks = tasks;
  }

  public ProcessingRegistry registry() {
    return registry;
  }

  public TrackingTasks tasks() {
    return tasks;
  }

  /** Claims and dispatches a run of the task; fails with 409 when a live run holds it. */
  public Future<Claim> start(TaskKind kind, JsonObject doc, String trigger) {
    String taskId = doc.getString("_id");
    return registry.claim(taskId, kind, doc.getString("user_id"), trigger).compose(claim -> {
      if (claim == null) {
        return Future.failedFuture(CodvidException.conflict(ALREADY_PROCESSING));
      }
      dispatch(kind, claim);
      return Future.succeededFuture(claim);
    });
  }

  /** Hands a claimed run to a scraper worker; if none takes it, the run is recorded as failed and released. */
  void dispatch(TaskKind kind, Claim claim) {
    JsonObject message = new JsonObject()
        .put("task_id", claim.taskId())
        .put("kind", kind.wireName())
        .put("run_id", claim.runId());
    vertx.eventBus().request(Addresses.SCRAPER_SCRAPE, message, delivery).onFailure(failure -> {
      if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
        LOG.warn("No scraper acknowledged run {} of task {} in time; its lease will expire if it never started",
            claim.runId(), claim.taskId());
        return;
      }
      String reason = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
          ? "No scraper worker is available" : "The scrape could not be started: " + failure.getMessage();
      LOG.warn("Run {} of task {} not started: {}", claim.runId(), claim.taskId(), reason);
      JsonObject event = ProgressEvents.event(ProgressEvents.SCRAPE_FAILED, reason, new JsonObject().put("error", reason));
      registry.record(claim, event)
          .compose(v -> tasks.storeLastRun(kind, claim.taskId(), claim.lastRun("failed")))
          .eventually(() -> registry.release(claim));
    });
  }

  /**
   * The status of a task: the live run when one holds it, else the last run kept with the task.
   *
   * @param logsCount how many of the newest log entries to return (0–100)
   */
  public Future<JsonObject> status(TaskKind kind, JsonObject doc, int logsCount) {
    String taskId = doc.getString("_id");
    return registry.live(taskId).map(live -> {
      JsonObject run = live != null ? live : doc.getJsonObject("last_run");
      JsonObject status = new JsonObject().put("task_id", taskId).put("is_processing", live != null);
      if (run == null) {
        return status.put("status", "idle").put("started_at", null).put("updated_at", null)
            .put("logs_count", 0).put("requested_logs_count", logsCount).put("logs", new JsonArray())
            .put("latest_event", null);
      }
      JsonArray logs = run.getJsonArray("logs", new JsonArray());
      JsonArray newest = new JsonArray(logs.getList().subList(Math.max(0, logs.size() - logsCount), logs.size()));
      return status
          .put("status", live != null ? "processing" : run.getString("status", "completed"))
          .put("run_id", run.getString("run_id"))
          .put("trigger", run.getString("trigger"))
          .put("started_at", run.getLong("started_at"))
          .put("updated_at", run.getLong("updated_at"))
          .put("ended_at", run.getLong("ended_at"))
          .put("logs_count", run.getInteger("logs_total", logs.size()))
          .put("requested_logs_count", logsCount)
          .put("logs", newest)
          .put("latest_event", logs.isEmpty() ? null : logs.getJsonObject(logs.size() - 1))
          .put("task_type", kind.wireName());
    });
  }
}
