package ai.codvid.alerts;

import ai.codvid.store.Collections;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook delivery queue, kept in the store ({@code alert_deliveries}, one document per alert
 * still to deliver) so that no node holds a delivery only in memory.
 *
 * <p>A node takes a due delivery with one atomic {@code findOneAndUpdate} that leases it to the
 * node ({@code lease_until_ms}, {@code lease_owner}, a fresh {@code claim}), so in a cluster each
 * attempt is made by one node. The node that fires an alert inserts its delivery already leased to
 * itself and makes the first attempt at once. A node that dies mid-attempt leaves its lease to
 * expire; the next node to take the delivery records that attempt as {@code abandoned} and tries
 * again — at least once on the wire, with the same {@code X-Codvid-Delivery} every time.
 *
 * <p>After a failed attempt (timeout, connection error, any status but 2xx and 410) the next one
 * is due after {@code initial × 2^(n−1)}, capped at the maximum backoff, with jitter (a uniformly
 * random wait between half and all of it; a receiver's Retry-After on 429/503 is honoured up to
 * the maximum); once the next attempt would fall after {@code fired_at + retry window} the alert is
 * {@code failed}. 410 Gone ends the delivery and switches the rule's webhook off. Every attempt is
 * recorded with the alert.
 */
final class WebhookDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

  private final Vertx vertx;
  private final MongoClient mongo;
  private final AlertRules rules;
  private final FiredAlerts alerts;
  private final WebhookSender sender;
  private final AlertOptions options;
  private final String nodeId;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile boolean stopped;
  private final AtomicBoolean queueUnreachable = new AtomicBoolean();

  WebhookDelivery(Vertx vertx, MongoClient mongo, AlertRules rules, FiredAlerts alerts, WebhookSender sender,
      AlertOptions options, String nodeId) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.rules = rules;
    this.alerts = alerts;
    this.sender = sender;
    this.options = options;
    this.nodeId = nodeId;
  }

  /** Queues the delivery of a fired alert, leased to this node, and makes its first attempt now. */
  Future<Void> enqueue(String userId, JsonObject payload, long firedAtMs) {
    long now = System.currentTimeMillis();
    String claim = UUID.randomUUID().toString();
    JsonObject doc = new JsonObject()
        .put("_id", payload.getString("alert_id"))
        .put("user_id", userId)
        .put("rule_id", payload.getString("rule_id"))
        .put("task_id", payload.getString("task_id"))
        .put("body", payload.encode())
        .put("fired_at_ms", firedAtMs)
        .put("deadline_ms", firedAtMs + options.retryMillis())
        .put("attempts", 0)
        .put("next_attempt_ms", now)
        .put("lease_until_ms", now + options.leaseMillis())
        .put("lease_owner", nodeId)
        .put("claim", claim)
        .put("in_flight_since", now);
    return mongo.insert(Collections.ALERT_DELIVERIES, doc).onSuccess(id -> {
      if (stopped) {
        release(doc.getString("_id"), claim);
      } else {
        inFlight.incrementAndGet();
        attempt(doc, claim, false).onComplete(done -> inFlight.decrementAndGet());
      }
    }).mapEmpty();
  }

  /** Takes the due deliveries this node has room for (one poll at a time per node). */
  void poll() {
    if (stopped || !polling.compareAndSet(false, true)) {
      return;
    }
    claimNext().onComplete(done -> polling.set(false));
  }

  private Future<Void> claimNext() {
    if (stopped || inFlight.get() >= options.concurrency()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    String claim = UUID.randomUUID().toString();
    JsonObject query = new JsonObject()
        .put("next_attempt_ms", new JsonObject().put("$lte", now))
        .put("$or", new JsonArray()
            .add(new JsonObject().put("lease_until_ms", null))
            .add(new JsonObject().put("lease_until_ms", new JsonObject().put("$lte", now))));
    JsonObject update = new JsonObject().put("$set", new JsonObject()
        .put("lease_until_ms", now + options.leaseMillis())
        .put("lease_owner", nodeId)
        .put("claim", claim)
        .put("in_flight_since", now));
    return mongo.findOneAndUpdate(Collections.ALERT_DELIVERIES, query, update).compose(before -> {
      if (queueUnreachable.compareAndSet(true, false)) {
        LOG.info("The webhook delivery queue is reachable again");
      }
      if (before == null) {
        return Future.succeededFuture();
      }
      inFlight.incrementAndGet();
      boolean abandoned = before.getValue("in_flight_since") != null;
      attempt(before, claim, abandoned).onComplete(done -> inFlight.decrementAndGet());
      return claimNext();
    }).recover(e -> {
      if (queueUnreachable.compareAndSet(false, true)) {
        LOG.warn("Could not look for due webhook deliveries (said once until the store answers again): {}", e.toString());
      }
      return Future.succeededFuture();
    });
  }

  /**
   * One attempt of a claimed delivery. {@code abandoned}: the previous holder's attempt never
   * ended (its node died); it is recorded as such first.
   */
  private Future<Void> attempt(JsonObject delivery, String claim, boolean abandoned) {
    String alertId = delivery.getString("_id");
    int[] attempts = {delivery.getInteger("attempts", 0)};
    Future<Void> before = Future.succeededFuture();
    if (abandoned) {
      attempts[0]++;
      JsonObject lost = new JsonObject().put("attempt", attempts[0])
          .put("at", delivery.getLong("in_flight_since") / 1000).put("outcome", "abandoned")
          .put("status_code", null).put("duration_ms", null).put("response_excerpt", null)
          .put("error", "The node making this attempt stopped before an answer; retaken after its lease");
      before = alerts.attempted(alertId, lost, new JsonObject())
          .compose(v -> mongo.updateCollection(Collections.ALERT_DELIVERIES, owned(alertId, claim),
              new JsonObject().put("$set", new JsonObject().put("attempts", attempts[0]))).mapEmpty());
    }
    return before
        .compose(v -> rules.findAny(delivery.getString("rule_id")))
        .compose(rule -> {
          String url = rule == null ? null : rule.getString("webhook_url");
          if (url == null || rule.getValue("webhook_disabled_at") != null || rule.getString("webhook_secret") == null) {
            String reason = rule == null ? "The rule was deleted" : url == null ? "The rule no longer has a webhook"
                : "The rule's webhook is switched off";
            return finish(alertId, claim, null, new JsonObject().put("status", FiredAlerts.CANCELLED).put("reason", reason)
                .put("next_attempt_at", null));
          }
          long startedAt = System.currentTimeMillis();
          return sender.send(url, rule.getString("webhook_secret"), "alert", alertId, delivery.getString("body"))
              .compose(outcome -> settle(delivery, claim, attempts[0] + 1, outcome, startedAt, rule.getString("_id"), url));
        })
        .recover(e -> {
          LOG.warn("Delivery of alert {} could not be recorded: {}", alertId, e.toString());
          return Future.succeededFuture();
        });
  }

  private Future<Void> settle(JsonObject delivery, String claim, int attempt, WebhookSender.Outcome outcome, long startedAt,
      String ruleId, String url) {
    String alertId = delivery.getString("_id");
    JsonObject record = outcome.toJson(attempt, startedAt);
    long now = System.currentTimeMillis();
    switch (outcome.kind()) {
      case DELIVERED -> {
        return finish(alertId, claim, record, new JsonObject().put("status", FiredAlerts.DELIVERED)
            .put("delivered_at", now / 1000).put("next_attempt_at", null));
      }
      case GONE -> {
        return rules.disableWebhook(ruleId, url, "The receiver answered 410 Gone")
            .compose(v -> finish(alertId, claim, record, new JsonObject().put("status", FiredAlerts.GONE)
                .put("reason", "The receiver answered 410 Gone: the rule's webhook is switched off").put("next_attempt_at", null)));
      }
      default -> {
        long next = now + backoff(attempt, outcome.retryAfterMillis());
        if (next > delivery.getLong("deadline_ms", now)) {
          LOG.info("Alert {}: giving up after {} attempts ({})", alertId, attempt, outcome.error());
          return finish(alertId, claim, record, new JsonObject().put("status", FiredAlerts.FAILED)
              .put("reason", "No successful attempt within the retry window").put("next_attempt_at", null));
        }
        return alerts.attempted(alertId, record, new JsonObject().put("next_attempt_at", next / 1000))
            .compose(v -> mongo.updateCollection(Collections.ALERT_DELIVERIES, owned(alertId, claim), new JsonObject()
                .put("$set", new JsonObject().put("attempts", attempt).put("next_attempt_ms", next)
                    .put("lease_until_ms", null).put("lease_owner", null).put("claim", null).put("in_flight_since", null))))
            .mapEmpty();
      }
    }
  }

  /** Records the last attempt and the final state, then drops the delivery from the queue. */
  private Future<Void> finish(String alertId, String claim, JsonObject attempt, JsonObject state) {
    return alerts.attempted(alertId, attempt, state)
        .compose(v -> mongo.removeDocument(Collections.ALERT_DELIVERIES, owned(alertId, claim)))
        .mapEmpty();
  }

  /** Gives a delivery this node took back to the queue at once (shutting down). */
  private void release(String alertId, String claim) {
    mongo.updateCollection(Collections.ALERT_DELIVERIES, owned(alertId, claim), new JsonObject().put("$set", new JsonObject()
        .put("lease_until_ms", null).put("lease_owner", null).put("claim", null).put("in_flight_since", null)));
  }

  private static JsonObject owned(String alertId, String claim) {
    return new JsonObject().put("_id", alertId).put("claim", claim);
  }

  /** The wait before attempt {@code attempt + 1}: exponential with jitter, or the receiver's Retry-After. */
  long backoff(int attempt, long retryAfterMillis) {
    if (retryAfterMillis >= 0) {
      return Math.min(options.maxBackoffMillis(), Math.max(retryAfterMillis, options.initialBackoffMillis() / 2));
    }
    long base = Math.min(options.maxBackoffMillis(), options.initialBackoffMillis() << Math.min(attempt - 1, 30));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Takes no more deliveries; attempts in flight end on their own (or their leases expire). */
  void stop() {
    stopped = true;
  }

  Future<Void> taskDeleted(String userId, String taskId) {
    return mongo.removeDocuments(Collections.ALERT_DELIVERIES, new JsonObject().put("user_id", userId).put("task_id", taskId)).mapEmpty();
  }

  Future<Void> ruleDeleted(String userId, String ruleId) {
    return mongo.removeDocuments(Collections.ALERT_DELIVERIES, new JsonObject().put("user_id", userId).put("rule_id", ruleId)).mapEmpty();
  }
}
