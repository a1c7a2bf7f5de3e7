package ai.codvid.alerts;

import ai.codvid.store.Collections;
import ai.codvid.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;

/**
 * The fired alerts of each user, newest first, with their delivery status and every attempt.
 * Beyond {@link AlertOptions#maxAlertsPerUser()} the oldest are dropped.
 *
 * <p>Document: {@code {_id: alert_id, user_id, rule_id, task_id, fired_at_ms, payload: {...},
 * delivery: {status, attempts: [...], next_attempt_at, delivered_at, reason}}}; the payload is
 * exactly what the webhook receives.
 */
final class FiredAlerts {

  /** Delivery states of an alert. */
  static final String NO_WEBHOOK = "no_webhook";
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  static final String GONE = "gone";
  static final String CANCELLED = "cancelled";

  private final MongoClient mongo;
  private final AlertOptions options;

  FiredAlerts(MongoClient mongo, AlertOptions options) {
    this.mongo = mongo;
    this.options = options;
  }

  /** Stores a fired alert; false when this alert (same rule, task and scrape) was stored before. */
  Future<Boolean> insert(String userId, JsonObject payload, boolean webhook, long firedAtMs) {
    JsonObject doc = new JsonObject()
        .put("_id", payload.getString("alert_id"))
        .put("user_id", userId)
        .put("rule_id", payload.getString("rule_id"))
        .put("task_id", payload.getString("task_id"))
        .put("fired_at_ms", firedAtMs)
        .put("payload", payload)
        .put("delivery", new JsonObject().put("status", webhook ? PENDING : NO_WEBHOOK).put("attempts", new JsonArray())
            .put("next_attempt_at", webhook ? firedAtMs / 1000 : null).put("delivered_at", null).put("reason", null));
    return mongo.insert(Collections.ALERTS, doc).map(true)
        .recover(e -> MongoErrors.isDuplicateKey(e) ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  /** The user's newest alerts first, at most {@code limit}. */
  Future<List<JsonObject>> list(String userId, int limit) {
    return mongo.findWithOptions(Collections.ALERTS, new JsonObject().put("user_id", userId),
        new FindOptions().setSort(new JsonObject().put("fired_at_ms", -1).put("_id", 1)).setLimit(limit));
  }

  /** What get_alerts shows: the payload the webhook received, with the delivery's state. */
  static JsonObject view(JsonObject doc) {
    return doc.getJsonObject("payload", new JsonObject()).copy()
        .put("delivery", doc.getJsonObject("delivery", new JsonObject()));
  }

  /** Drops the user's oldest alerts beyond the limit. */
  Future<Void> prune(String userId) {
    return mongo.findWithOptions(Collections.ALERTS, new JsonObject().put("user_id", userId),
            new FindOptions().setSort(new JsonObject().put("fired_at_ms", -1).put("_id", 1))
                .setSkip(options.maxAlertsPerUser()).setFields(new JsonObject().put("_id", 1)))
        .compose(old -> {
          if (old.isEmpty()) {
            return Future.succeededFuture();
          }
          JsonArray ids = new JsonArray();
          old.forEach(d -> ids.add(d.getValue("_id")));
          JsonObject in = new JsonObject().put("_id", new JsonObject().put("$in", ids));
          return mongo.removeDocuments(Collections.ALERT_DELIVERIES, in)
              .compose(v -> mongo.removeDocuments(Collections.ALERTS, in)).mapEmpty();
        });
  }

  /** Records one attempt and the delivery's new state (fields of {@code delivery} to set). */
  Future<Void> attempted(String alertId, JsonObject attempt, JsonObject state) {
    JsonObject set = new JsonObject();
    state.forEach(e -> set.put("delivery." + e.getKey(), e.getValue()));
    JsonObject update = new JsonObject().put("$set", set);
    if (attempt != null) {
      update.put("$push", new JsonObject().put("delivery.attempts", attempt));
    }
    return mongo.updateCollection(Collections.ALERTS, new JsonObject().put("_id", alertId), update).mapEmpty();
  }

  Future<Void> taskDeleted(String userId, String taskId) {
    return mongo.removeDocuments(Collections.ALERTS, new JsonObject().put("user_id", userId).put("task_id", taskId)).mapEmpty();
  }
}
