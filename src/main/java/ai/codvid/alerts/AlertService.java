package ai.codvid.alerts;

import ai.codvid.CodvidException;
import ai.codvid.TooManyRequests;
import ai.codvid.config.AppConfig;
import ai.codvid.http.RateLimiter;
import ai.codvid.insights.InsightsService;
import ai.codvid.store.Collections;
import ai.codvid.store.Store;
import ai.codvid.tracking.HistorySink;
import ai.codvid.tracking.TaskKind;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Alerts of one node: rules ({@link AlertRules}), their evaluation after scrapes
 * ({@link AlertEvaluator}), fired alerts ({@link FiredAlerts}) and webhook delivery
 * ({@link WebhookDelivery}, {@link WebhookSender}). Shared by the HTTP verticles and the
 * {@link AlertsVerticle}, which feeds it scrapes and runs the delivery queue. Docs: docs/alerts.md.
 */
public final class AlertService {

  public static final int DEFAULT_ALERTS_LIMIT = 50;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final AlertOptions options;
  private final WebhookSender sender;
  private final AlertRules rules;
  private final FiredAlerts alerts;
  private final WebhookDelivery delivery;
  private final AlertEvaluator evaluator;
  private final RateLimiter tests;

  public AlertService(Vertx vertx, MongoClient mongo, TrackingTasks tasks, InsightsService insights, AlertOptions options,
      String nodeId) {
    this(vertx, mongo, tasks, insights, options, nodeId, new WebhookSender(vertx, options));
  }

  AlertService(Vertx vertx, MongoClient mongo, TrackingTasks tasks, InsightsService insights, AlertOptions options,
      String nodeId, WebhookSender sender) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.options = options;
    this.sender = sender;
    this.rules = new AlertRules(mongo, tasks, sender, options);
    this.alerts = new FiredAlerts(mongo, options);
    this.delivery = new WebhookDelivery(vertx, mongo, rules, alerts, sender, options, nodeId);
    this.evaluator = new AlertEvaluator(vertx, mongo, rules, alerts, delivery, tasks, insights);
    this.tests = new RateLimiter(options.testWebhooksPerMinute(), 60_000);
  }

  public static AlertService create(Vertx vertx, AppConfig config, MongoClient mongo, TrackingTasks tasks, InsightsService insights,
      String nodeId) {
    return new AlertService(vertx, mongo, tasks, insights, AlertOptions.from(config), nodeId);
  }

  /** Creates the query indexes on a real MongoDB (the embedded store only serves unique ones). */
  public Future<Void> ready(Store store) {
    if (store.embeddedPort() >= 0) {
      return Future.succeededFuture();
    }
    return Future.all(List.of(
        mongo.createIndex(Collections.ALERT_RULES, new JsonObject().put("user_id", 1)),
        mongo.createIndex(Collections.ALERTS, new JsonObject().put("user_id", 1).put("fired_at_ms", -1)),
        mongo.createIndex(Collections.ALERT_DELIVERIES, new JsonObject().put("next_attempt_ms", 1)))).mapEmpty();
  }

  public AlertOptions options() {
    return options;
  }

  // ---- rules ----

  public Future<JsonObject> createRule(String userId, JsonObject data) {
    return rules.create(userId, data).map(AlertRules.Saved::toJson);
  }

  public Future<JsonObject> rules(String userId) {
    return rules.list(userId).map(list -> {
      JsonArray views = new JsonArray();
      list.forEach(rule -> views.add(AlertRules.view(rule)));
      return new JsonObject().put("rules", views).put("total_rules", views.size()).put("max_rules", options.maxRulesPerUser());
    });
  }

  public Future<JsonObject> updateRule(String userId, String ruleId, JsonObject data) {
    return rules.update(userId, ruleId, data).map(AlertRules.Saved::toJson);
  }

  /** Deletes the rule and its pending deliveries; its fired alerts stay in the history. */
  public Future<JsonObject> deleteRule(String userId, String ruleId) {
    return rules.delete(userId, ruleId)
        .compose(rule -> delivery.ruleDeleted(userId, ruleId).map(rule))
        .map(rule -> new JsonObject().put("rule_id", ruleId).put("message", "Alert rule deleted"));
  }

  // ---- alerts ----

  public Future<JsonObject> alerts(String userId, int limit) {
    return alerts.list(userId, limit).map(list -> {
      JsonArray views = new JsonArray();
      list.forEach(doc -> views.add(FiredAlerts.view(doc)));
      return new JsonObject().put("alerts", views).put("count", views.size());
    });
  }

  /**
   * Sends one signed test delivery to the rule's webhook now ({@code X-Codvid-Event: test}, no
   * retries, not stored) and answers how it went; a 410 switches the webhook off as a real
   * delivery would.
   */
  public Future<JsonObject> testWebhook(String userId, String ruleId) {
    long wait = tests.acquire(userId);
    if (wait > 0) {
      return Future.failedFuture(new TooManyRequests("Too many test deliveries: at most " + tests.limit()
          + " per minute. Retry in " + wait + " s", wait));
    }
    return rules.find(userId, ruleId).compose(rule -> {
      String url = rule.getString("webhook_url");
      if (url == null) {
        return Future.failedFuture(CodvidException.conflict("The rule has no webhook_url: set one with update_rule first"));
      }
      long now = System.currentTimeMillis();
      String deliveryId = "test-" + UUID.randomUUID();
      JsonObject payload = new JsonObject()
          .put("alert_id", deliveryId)
          .put("rule_id", ruleId)
          .put("rule_name", rule.getString("name"))
          .put("task_id", rule.getString("task_id"))
          .put("task_type", null)
          .put("target_profile", null)
          .put("metric", rule.getString("metric"))
          .put("condition", rule.getString("condition"))
          .put("value", null)
          .put("baseline", null)
          .put("threshold", rule.getValue("threshold"))
          .put("fired_at", now / 1000)
          .put("sample_comments", new JsonArray())
          .put("test", true);
      return sender.send(url, rule.getString("webhook_secret"), "test", deliveryId, payload.encode()).compose(outcome -> {
        Future<Void> gone = outcome.kind() == WebhookSender.Kind.GONE
            ? rules.disableWebhook(ruleId, url, "The receiver answered 410 Gone (test delivery)")
            : Future.succeededFuture();
        return gone.map(v -> new JsonObject()
            .put("delivery_id", deliveryId)
            .put("delivered", outcome.delivered())
            .put("attempt", outcome.toJson(1, now))
            .put("webhook_active", outcome.kind() != WebhookSender.Kind.GONE
                && rule.getValue("webhook_disabled_at") == null));
      });
    });
  }

  // ---- the scrape pipeline and the delivery queue (AlertsVerticle) ----

  Future<List<JsonObject>> scraped(JsonObject message) {
    return evaluator.scraped(message);
  }

  Future<List<JsonObject>> scrapeFailed(JsonObject message) {
    return evaluator.failed(message);
  }

  WebhookDelivery delivery() {
    return delivery;
  }

  /** Deletes what alerts keep about a deleted task: its rules, its alerts and their pending deliveries. */
  public Future<Void> taskDeleted(String userId, String taskId) {
    return delivery.taskDeleted(userId, taskId)
        .compose(v -> alerts.taskDeleted(userId, taskId))
        .compose(v -> rules.taskDeleted(userId, taskId));
  }

  /**
   * The history sink of the tracking tasks: {@code inner} (insights) as before, and on a task's
   * deletion also this service's {@link #taskDeleted}.
   */
  public HistorySink cleaningAfter(HistorySink inner) {
    return new HistorySink() {
      @Override
      public JsonObject figures(TaskKind kind, JsonObject data, String snapshotId, long scrapedAt, long scrapedAtMs) {
        return inner.figures(kind, data, snapshotId, scrapedAt, scrapedAtMs);
      }

      @Override
      public Future<Void> stored(TaskKind kind, JsonObject task, JsonObject snapshot) {
        return inner.stored(kind, task, snapshot);
      }

      @Override
      public Future<Void> deleted(String userId, String taskId) {
        List<Future<Void>> both = new ArrayList<>(List.of(inner.deleted(userId, taskId), taskDeleted(userId, taskId)));
        return Future.all(both).mapEmpty();
      }
    };
  }

  public Future<Void> close() {
    delivery.stop();
    return sender.close();
  }
}
