package ai.codvid.http;

import ai.codvid.Addresses;
import ai.codvid.tracking.ProgressEvents;
import ai.codvid.tracking.TrackingService;
import ai.codvid.tracking.TrackingTasks.Located;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one task's progress for a live subscriber (WebSocket or SSE): the task's current
 * status first, then every event of its runs, from whichever node runs them.
 *
 * <p>It listens on {@code codvid.progress.<taskId>} before reading the status, holds back the
 * events that arrive meanwhile, and drops those the status already contains (same run, same or
 * lower {@code seq}), so a subscriber sees every event exactly once and in order.
 */
final class ProgressSubscription {

  /** Where messages go; answers false when the subscriber cannot keep up (the caller then closes). */
  interface Sink {
    boolean send(JsonObject message);
  }

  private final String taskId;
  private final Sink sink;
  private final Runnable onRunEnd;
  private final MessageConsumer<JsonObject> consumer;
  private List<JsonObject> pending = new ArrayList<>();
  private String statusRunId;
  private int statusSeq;
  private boolean closed;

  private ProgressSubscription(Vertx vertx, String taskId, Sink sink, Runnable onRunEnd) {
    this.taskId = taskId;
    this.sink = sink;
    this.onRunEnd = onRunEnd;
    this.consumer = vertx.eventBus().consumer(Addresses.progress(taskId), message -> deliver(message.body()));
  }

  /** Subscribes, then sends {@code {"type": "status", ...}} and flushes what arrived meanwhile. */
  static Future<ProgressSubscription> open(Vertx vertx, TrackingService tracking, Located task, Sink sink, Runnable onRunEnd) {
    ProgressSubscription subscription = new ProgressSubscription(vertx, task.doc().getString("_id"), sink, onRunEnd);
    return subscription.consumer.completion()
        .compose(v -> tracking.status(task.kind(), task.doc(), 100))
        .map(status -> {
          subscription.start(status);
          return subscription;
        })
        .onFailure(e -> subscription.close());
  }

  private void start(JsonObject status) {
    JsonArray logs = status.getJsonArray("logs", new JsonArray());
    if (status.getBoolean("is_processing", false)) {
      statusRunId = status.getString("run_id");
      statusSeq = logs.isEmpty() ? 0 : logs.getJsonObject(logs.size() - 1).getInteger("seq", 0);
    }
    if (!sink.send(new JsonObject().put("type", "status").mergeIn(status))) {
      return;
    }
    List<JsonObject> held = pending;
    pending = null;
    held.forEach(this::deliver);
  }

  private void deliver(JsonObject event) {
    if (closed) {
      return;
    }
    if (pending != null) {
      pending.add(event);
      return;
    }
    if (statusRunId != null && statusRunId.equals(event.getString("run_id")) && event.getInteger("seq", 0) <= statusSeq) {
      return;
    }
    boolean kept = sink.send(new JsonObject().put("type", "event").mergeIn(event).put("task_id", taskId));
    String type = event.getString("event_type");
    if (kept && ProgressEvents.isFinal(type)) {
      kept = sink.send(new JsonObject().put("type", "end").put("task_id", taskId)
          .put("run_id", event.getString("run_id"))
          .put("status", ProgressEvents.SCRAPE_COMPLETED.equals(type) ? "completed" : "failed"));
      if (kept) {
        onRunEnd.run();
      }
    }
  }

  String taskId() {
    return taskId;
  }

  void close() {
    if (!closed) {
      closed = true;
      consumer.unregister();
    }
  }
}
