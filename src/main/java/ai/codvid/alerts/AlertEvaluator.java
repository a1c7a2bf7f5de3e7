package ai.codvid.alerts;

import ai.codvid.Addresses;
import ai.codvid.insights.InsightsService;
import ai.codvid.insights.Metrics;
import ai.codvid.insights.ScrapePoint;
import ai.codvid.store.Collections;
import ai.codvid.tracking.TaskKind;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the user's rules after each stored scrape of a task ({@link Addresses#INSIGHTS_UPDATED})
 * and after each failed one ({@link Addresses#SCRAPES_FAILED}), on the node that ran the scrape,
 * and fires the alerts whose condition holds.
 *
 * <p>Firing is atomic in the store: the rule's cooldown for the task ({@code cooldowns.<task_id>}
 * in the rule document) is moved forward by one conditional {@code findOneAndUpdate} that only
 * matches when the last alert of that rule and task is older than the cooldown, so two nodes (or
 * two evaluations of one scrape) cannot both fire. The alert's id is derived from the rule, the
 * task and the scrape, so the same scrape never gives two alerts even with a cooldown of 0.
 */
final class AlertEvaluator {

  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
  private static final int SAMPLE_COMMENTS = 3;
  private static final int SAMPLE_TEXT = 500;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final AlertRules rules;
  private final FiredAlerts alerts;
  private final WebhookDelivery delivery;
  private final TrackingTasks tasks;
  private final InsightsService insights;

  AlertEvaluator(Vertx vertx, MongoClient mongo, AlertRules rules, FiredAlerts alerts, WebhookDelivery delivery,
      TrackingTasks tasks, InsightsService insights) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.rules = rules;
    this.alerts = alerts;
    this.delivery = delivery;
    this.tasks = tasks;
    this.insights = insights;
  }

  /** What happened to a task that rules may be about. */
  private record Event(String userId, String taskId, TaskKind kind, String key) {
  }

  // ---- after a stored scrape ----

  /** {@code {task_id, user_id, kind, scraped_at_ms}}: evaluates the value rules of the task; answers the alerts fired. */
  Future<List<JsonObject>> scraped(JsonObject message) {
    Event event;
    long scrapedAtMs;
    try {
      event = new Event(message.getString("user_id"), message.getString("task_id"), TaskKind.fromWire(message.getString("kind")),
          "scrape:" + message.getLong("scraped_at_ms"));
      scrapedAtMs = message.getLong("scraped_at_ms");
    } catch (RuntimeException e) {
      return Future.succeededFuture(List.of());
    }
    return rulesFor(event, false).compose(matching -> {
      if (matching.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return task(event).compose(doc -> doc == null ? Future.succeededFuture(List.of())
          : insights.points(event.kind(), doc).compose(points -> {
            int at = indexOf(points, scrapedAtMs);
            if (at < 0) {
              LOG.debug("Scrape {} of task {} is not in its series; rules not evaluated", scrapedAtMs, event.taskId());
              return Future.succeededFuture(List.of());
            }
            Future<List<JsonObject>> chain = Future.succeededFuture(new ArrayList<>());
            for (JsonObject rule : matching) {
              chain = chain.compose(fired -> evaluate(rule, event, doc, points, at)
                  .map(alert -> {
                    if (alert != null) {
                      fired.add(alert);
                    }
                    return fired;
                  }));
            }
            return chain;
          }));
    });
  }

  private static int indexOf(List<ScrapePoint> points, long scrapedAtMs) {
    for (int i = points.size() - 1; i >= 0; i--) {
      if (points.get(i).scrapedAtMs() == scrapedAtMs) {
        return i;
      }
    }
    return -1;
  }

  /** One value rule at one scrape point; fires when its condition holds. */
  private Future<JsonObject> evaluate(JsonObject rule, Event event, JsonObject doc, List<ScrapePoint> points, int at) {
    Metric metric = Metric.fromWire(rule.getString("metric"));
    Condition condition = Condition.fromWire(rule.getString("condition"));
    Double threshold = rule.getDouble("threshold");
    if (metric == null || condition == null || threshold == null) {
      return Future.succeededFuture();
    }
    Double value = metric.value(event.kind(), points.get(at));
    if (value == null) {
      return Future.succeededFuture();
    }
    Double baseline = null;
    int baselineScrapes = rule.getInteger("baseline_scrapes", AlertOptions.DEFAULT_BASELINE_SCRAPES);
    if (condition.againstBaseline()) {
      List<Double> previous = new ArrayList<>();
      for (int i = Math.max(0, at - baselineScrapes); i < at; i++) {
        previous.add(metric.value(event.kind(), points.get(i)));
      }
      baseline = Metrics.mean(previous);
      if (baseline == null) {
        return Future.succeededFuture();
      }
      baseline = Math.round(baseline * 100) / 100.0;
    }
    if (!condition.holds(metric, value, baseline, threshold)) {
      return Future.succeededFuture();
    }
    JsonObject fields = new JsonObject()
        .put("value", value)
        .put("baseline", baseline)
        .put("baseline_scrapes", condition.againstBaseline() ? baselineScrapes : null)
        .put("change", baseline == null ? null : Condition.change(metric, value, baseline))
        .put("threshold", threshold)
        .put("scraped_at", points.get(at).scrapedAt())
        .put("sample_comments", sampleComments(event.kind(), doc, direction(metric, condition)));
    return fire(rule, event, doc, fields);
  }

  // ---- after a failed scrape ----

  /** {@code {task_id, user_id, kind, run_id, error, consecutive_failures}}: fires the task's scrape_failed rules. */
  Future<List<JsonObject>> failed(JsonObject message) {
    Event event;
    try {
      event = new Event(message.getString("user_id"), message.getString("task_id"), TaskKind.fromWire(message.getString("kind")),
          "failed:" + message.getString("run_id"));
    } catch (RuntimeException e) {
      return Future.succeededFuture(List.of());
    }
    return rulesFor(event, true).compose(matching -> matching.isEmpty() ? Future.succeededFuture(List.of())
        : task(event).compose(doc -> {
          if (doc == null) {
            return Future.succeededFuture(List.of());
          }
          Future<List<JsonObject>> chain = Future.succeededFuture(new ArrayList<>());
          for (JsonObject rule : matching) {
            JsonObject fields = new JsonObject()
                .put("value", message.getInteger("consecutive_failures", 1))
                .put("baseline", null)
                .put("threshold", null)
                .put("error", message.getString("error"))
                .put("consecutive_failures", message.getInteger("consecutive_failures", 1))
                .put("sample_comments", new JsonArray());
            chain = chain.compose(fired -> fire(rule, event, doc, fields).map(alert -> {
              if (alert != null) {
                fired.add(alert);
              }
              return fired;
            }));
          }
          return chain;
        }));
  }

  // ---- shared ----

  /** The user's enabled rules for this task (their own or every task's), on failures or on values. */
  private Future<List<JsonObject>> rulesFor(Event event, boolean failures) {
    if (event.userId() == null || event.taskId() == null) {
      return Future.succeededFuture(List.of());
    }
    return rules.list(event.userId()).map(all -> all.stream()
        .filter(r -> r.getBoolean("enabled", true))
        .filter(r -> r.getString("task_id") == null || r.getString("task_id").equals(event.taskId()))
        .filter(r -> failures == Metric.SCRAPE_FAILED.wireName().equals(r.getString("metric")))
        .toList());
  }

  private Future<JsonObject> task(Event event) {
    return tasks.findAny(event.kind(), event.taskId())
        .map(doc -> doc != null && event.userId().equals(doc.getString("user_id")) ? doc : null);
  }

  /**
   * Fires a rule for a task unless its cooldown for that task is running: claims the cooldown
   * atomically, stores the alert, queues its webhook and tells the user's live sockets. Answers
   * the alert's payload, or null when nothing fired.
   */
  private Future<JsonObject> fire(JsonObject rule, Event event, JsonObject doc, JsonObject fields) {
    long now = System.currentTimeMillis();
    String ruleId = rule.getString("_id");
    long cooldownMillis = Math.round(rule.getDouble("cooldown_hours", AlertOptions.DEFAULT_COOLDOWN_HOURS) * 3_600_000);
    String cooldownField = "cooldowns." + event.taskId();
    JsonObject query = new JsonObject()
        .put("_id", ruleId)
        .put("user_id", event.userId())
        .put("enabled", true)
        .put("$or", new JsonArray()
            .add(new JsonObject().put(cooldownField, null))
            .add(new JsonObject().put(cooldownField, new JsonObject().put("$lte", now - cooldownMillis))));
    JsonObject update = new JsonObject().put("$set", new JsonObject().put(cooldownField, now).put("last_fired_at", now / 1000));
    return mongo.findOneAndUpdate(Collections.ALERT_RULES, query, update).compose(claimed -> {
      if (claimed == null) {
        return Future.succeededFuture();
      }
      JsonObject payload = payload(claimed, event, doc, fields, now);
      boolean webhook = claimed.getString("webhook_url") != null && claimed.getValue("webhook_disabled_at") == null;
      return alerts.insert(event.userId(), payload, webhook, now).compose(stored -> {
        if (!stored) {
          return Future.succeededFuture();
        }
        LOG.info("Alert {} fired: rule {} on task {} ({} {})", payload.getString("alert_id"), ruleId, event.taskId(),
            payload.getString("metric"), payload.getValue("value"));
        vertx.eventBus().publish(Addresses.alerts(event.userId()), new JsonObject().put("type", "alert").mergeIn(payload));
        Future<Void> queued = webhook ? delivery.enqueue(event.userId(), payload, now) : Future.succeededFuture();
        return queued
            .compose(v -> alerts.prune(event.userId()))
            .recover(e -> {
              LOG.warn("Alert {} stored, but its delivery or pruning failed: {}", payload.getString("alert_id"), e.toString());
              return Future.succeededFuture();
            })
            .map(payload);
      });
    });
  }

  /** The alert as the webhook receives it (docs/alerts.md). */
  private static JsonObject payload(JsonObject rule, Event event, JsonObject doc, JsonObject fields, long now) {
    String alertId = UUID.nameUUIDFromBytes((rule.getString("_id") + ":" + event.taskId() + ":" + event.key())
        .getBytes(StandardCharsets.UTF_8)).toString();
    JsonObject payload = new JsonObject()
        .put("alert_id", alertId)
        .put("rule_id", rule.getString("_id"))
        .put("rule_name", rule.getString("name"))
        .put("task_id", event.taskId())
        .put("task_type", event.kind().wireName());
    if (event.kind() == TaskKind.PROFILE) {
      payload.put("target_profile", doc.getString("target_profile"));
    } else {
      JsonObject reel = doc.getJsonObject("reel_data");
      payload.put("target_profile", reel == null ? null : reel.getString("owner_username"))
          .put("reel_url", doc.getString("reel_url"))
          .put("project_name", doc.getString("project_name"));
    }
    payload.put("metric", rule.getString("metric"))
        .put("condition", rule.getString("condition"))
        .mergeIn(fields)
        .put("cooldown_hours", rule.getValue("cooldown_hours"))
        .put("fired_at", now / 1000);
    return payload;
  }

  /** Which comments drove a change: negative ones for a souring, positive ones for an improvement, null for any. */
  static String direction(Metric metric, Condition condition) {
    boolean up = condition == Condition.ABOVE || condition == Condition.RISES_BY;
    return switch (metric) {
      case NEGATIVE_PCT -> up ? "negative" : "positive";
      case POSITIVE_PCT, NET_SENTIMENT -> up ? "positive" : "negative";
      default -> null;
    };
  }

  /**
   * Up to {@value #SAMPLE_COMMENTS} comments of the scrape with the wanted sentiment (any when
   * null), the most liked first, each with its sentiment and post.
   */
  static JsonArray sampleComments(TaskKind kind, JsonObject doc, String sentiment) {
    List<JsonObject> found = new ArrayList<>();
    if (kind == TaskKind.PROFILE) {
      JsonObject data = doc.getJsonObject("target_profile_data");
      JsonArray posts = data == null ? null : data.getJsonArray("scraped_posts");
      if (posts != null) {
        for (Object p : posts) {
          if (p instanceof JsonObject post) {
            collect(post.getJsonArray("top_comments"), post.getString("post_url"), sentiment, found);
          }
        }
      }
    } else {
      JsonObject reel = doc.getJsonObject("reel_data");
      if (reel != null) {
        collect(reel.getJsonArray("top_comments"), reel.getString("post_url"), sentiment, found);
      }
    }
    found.sort(Comparator.comparingLong((JsonObject c) -> c.getLong("likes_count") == null ? 0 : c.getLong("likes_count")).reversed()
        .thenComparing(Comparator.comparingDouble((JsonObject c) -> c.getDouble("sentiment_score") == null ? 0 : c.getDouble("sentiment_score")).reversed()));
    JsonArray sample = new JsonArray();
    found.stream().limit(SAMPLE_COMMENTS).forEach(sample::add);
    return sample;
  }

  /** At most {@value #SAMPLE_TEXT} code points, never splitting a surrogate pair. */
  private static String clip(String text) {
    if (text.codePointCount(0, text.length()) <= SAMPLE_TEXT) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, SAMPLE_TEXT)) + "…";
  }

  private static void collect(JsonArray comments, String postUrl, String sentiment, List<JsonObject> into) {
    if (comments == null) {
      return;
    }
    for (Object c : comments) {
      if (!(c instanceof JsonObject comment)) {
        continue;
      }
      String text = comment.getString("text", "");
      if (text.isBlank() || sentiment != null && !sentiment.equals(comment.getString("sentiment"))) {
        continue;
      }
      into.add(new JsonObject()
          .put("text", clip(text))
          .put("owner_username", comment.getString("owner_username"))
          .put("sentiment", comment.getString("sentiment"))
          .put("sentiment_score", comment.getValue("sentiment_score"))
          .put("likes_count", comment.getValue("likes_count"))
          .put("post_url", postUrl));
    }
  }
}
