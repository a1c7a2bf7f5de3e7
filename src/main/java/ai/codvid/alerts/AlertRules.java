package ai.codvid.alerts;

import ai.codvid.CodvidException;
import ai.codvid.http.Fields;
import ai.codvid.store.Collections;
import ai.codvid.tracking.TaskKind;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The stored alert rules of each user: creation, reading, changes and deletion, each checked
 * (fields, the task's owner, the webhook URL's address, the per-user limit). Another user's rule
 * is "not found", exactly as an unknown id.
 */
public final class AlertRules {

  public static final String NOT_FOUND = "Alert rule not found";
  static final int MAX_NAME = 100;
  static final int MAX_BASELINE_SCRAPES = 50;
  static final double MAX_COOLDOWN_HOURS = 8_760;
  static final int MIN_SECRET = 16;
  static final int MAX_SECRET = 256;
  private static final Set<String> CREATE_FIELDS = Set.of("task_id", "name", "metric", "condition", "threshold",
      "baseline_scrapes", "cooldown_hours", "webhook_url", "webhook_secret", "enabled");
  private static final Set<String> UPDATE_FIELDS = Set.of("task_id", "name", "metric", "condition", "threshold",
      "baseline_scrapes", "cooldown_hours", "webhook_url", "webhook_secret", "enabled", "rotate_webhook_secret");

  private final MongoClient mongo;
  private final TrackingTasks tasks;
  private final WebhookSender sender;
  private final AlertOptions options;

  AlertRules(MongoClient mongo, TrackingTasks tasks, WebhookSender sender, AlertOptions options) {
    this.mongo = mongo;
    this.tasks = tasks;
    this.sender = sender;
    this.options = options;
  }

  /** A new rule and, when it has a webhook without a given secret, the secret generated for it (shown once). */
  public record Saved(JsonObject rule, String generatedSecret) {
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("rule_id", rule.getString("_id")).put("rule", view(rule));
      if (generatedSecret != null) {
        json.put("webhook_secret", generatedSecret);
      }
      return json;
    }
  }

  // ---- creating ----

  public Future<Saved> create(String userId, JsonObject data) {
    unknownFields(data, CREATE_FIELDS);
    JsonObject rule = new JsonObject();
    copyInputs(data, rule);
    String secret = rule.getString("webhook_secret");
    String generated = rule.getString("webhook_url") != null && secret == null ? Signature.newSecret() : null;
    if (generated != null) {
      rule.put("webhook_secret", generated);
    }
    return validate(userId, rule).compose(valid -> {
      long now = System.currentTimeMillis();
      String id = UUID.randomUUID().toString();
      valid.put("_id", id).put("user_id", userId).put("created_at", now / 1000).put("updated_at", now / 1000)
          .put("last_fired_at", null).put("cooldowns", new JsonObject()).put("webhook_disabled_at", null)
          .put("webhook_disabled_reason", null);
      return mongo.insert(Collections.ALERT_RULES, valid)
          .compose(v -> mongo.count(Collections.ALERT_RULES, new JsonObject().put("user_id", userId)))
          .compose(count -> {
            if (count <= options.maxRulesPerUser()) {
              return Future.succeededFuture(new Saved(valid, generated));
            }
            return mongo.removeDocument(Collections.ALERT_RULES, new JsonObject().put("_id", id))
                .compose(r -> Future.failedFuture(new CodvidException(ai.codvid.FailureCode.CONFLICT,
                    "At most " + options.maxRulesPerUser() + " alert rules per account: delete one before creating another")));
          });
    });
  }

  // ---- reading ----

  /** The user's rules, oldest first. */
  public Future<List<JsonObject>> list(String userId) {
    return mongo.findWithOptions(Collections.ALERT_RULES, new JsonObject().put("user_id", userId), new FindOptions())
        .map(rules -> {
          rules.sort(Comparator.comparingLong((JsonObject r) -> r.getLong("created_at", 0L)).thenComparing(r -> r.getString("_id")));
          return rules;
        });
  }

  /** One of the user's rules; 404 for another user's or an unknown one. */
  public Future<JsonObject> find(String userId, String ruleId) {
    return findAny(ruleId).compose(rule -> rule == null || !userId.equals(rule.getString("user_id"))
        ? Future.failedFuture(CodvidException.notFound(NOT_FOUND))
        : Future.succeededFuture(rule));
  }

  /** A rule by id, whoever owns it (for delivery); null when gone. */
  Future<JsonObject> findAny(String ruleId) {
    return mongo.findOne(Collections.ALERT_RULES, new JsonObject().put("_id", ruleId), null);
  }

  /** What get_rules shows of a rule: never its secret, nor its cooldown book-keeping. */
  public static JsonObject view(JsonObject rule) {
    boolean hasUrl = rule.getString("webhook_url") != null;
    return new JsonObject()
        .put("rule_id", rule.getString("_id"))
        .put("name", rule.getString("name"))
        .put("task_id", rule.getString("task_id"))
        .put("metric", rule.getString("metric"))
        .put("condition", rule.getString("condition"))
        .put("threshold", rule.getValue("threshold"))
        .put("baseline_scrapes", rule.getInteger("baseline_scrapes", AlertOptions.DEFAULT_BASELINE_SCRAPES))
        .put("cooldown_hours", rule.getValue("cooldown_hours"))
        .put("enabled", rule.getBoolean("enabled", true))
        .put("webhook_url", rule.getString("webhook_url"))
        .put("webhook_secret_set", rule.getString("webhook_secret") != null)
        .put("webhook_active", hasUrl && rule.getValue("webhook_disabled_at") == null)
        .put("webhook_disabled_at", rule.getValue("webhook_disabled_at"))
        .put("webhook_disabled_reason", rule.getString("webhook_disabled_reason"))
        .put("created_at", rule.getValue("created_at"))
        .put("updated_at", rule.getValue("updated_at"))
        .put("last_fired_at", rule.getValue("last_fired_at"));
  }

  // ---- changing ----

  /**
   * Applies the given fields to the rule and checks the result as a whole. A new webhook_url
   * switches the webhook back on; a rule that gains a webhook without a secret, or is asked to
   * {@code rotate_webhook_secret}, gets a generated one (answered once).
   */
  public Future<Saved> update(String userId, String ruleId, JsonObject data) {
    unknownFields(data, UPDATE_FIELDS);
    if (data.isEmpty()) {
      throw CodvidException.badRequest("Nothing to update: give any of " + String.join(", ", new java.util.TreeSet<>(CREATE_FIELDS))
          + " or rotate_webhook_secret");
    }
    boolean rotate = Fields.optionalBoolean(data, "rotate_webhook_secret", false);
    return find(userId, ruleId).compose(existing -> {
      JsonObject rule = existing.copy();
      copyInputs(data, rule);
      if (data.containsKey("metric") && Metric.SCRAPE_FAILED.wireName().equals(rule.getString("metric"))) {
        if (!data.containsKey("condition")) {
          rule.remove("condition");
        }
        if (!data.containsKey("threshold")) {
          rule.remove("threshold");
        }
      }
      String generated = null;
      if (rule.getString("webhook_url") == null) {
        if (data.getValue("webhook_secret") != null || rotate) {
          throw CodvidException.badRequest((rotate ? "rotate_webhook_secret" : "webhook_secret") + " needs a webhook_url");
        }
        rule.put("webhook_secret", null);
      } else if (rotate || rule.getString("webhook_secret") == null) {
        if (rotate && data.getValue("webhook_secret") != null) {
          throw CodvidException.badRequest("Give webhook_secret or rotate_webhook_secret, not both");
        }
        generated = Signature.newSecret();
        rule.put("webhook_secret", generated);
      }
      if (data.containsKey("webhook_url")) {
        rule.put("webhook_disabled_at", null).put("webhook_disabled_reason", null);
      }
      String secret = generated;
      return validate(userId, rule).compose(valid -> {
        valid.put("updated_at", System.currentTimeMillis() / 1000);
        JsonObject set = valid.copy();
        set.remove("_id");
        set.remove("user_id");
        set.remove("cooldowns");
        set.remove("last_fired_at");
        JsonObject unset = new JsonObject();
        for (String key : List.of("task_id", "name", "condition", "threshold", "webhook_url", "webhook_secret")) {
          if (set.getValue(key) == null) {
            set.remove(key);
            unset.put(key, "");
          }
        }
        JsonObject update = new JsonObject().put("$set", set);
        if (!unset.isEmpty()) {
          update.put("$unset", unset);
        }
        return mongo.findOneAndUpdateWithOptions(Collections.ALERT_RULES, new JsonObject().put("_id", ruleId).put("user_id", userId),
                update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
            .compose(updated -> updated == null ? Future.failedFuture(CodvidException.notFound(NOT_FOUND))
                : Future.succeededFuture(new Saved(updated, secret)));
      });
    });
  }

  /** Deletes one of the user's rules; answers the deleted document. */
  public Future<JsonObject> delete(String userId, String ruleId) {
    return mongo.findOneAndDelete(Collections.ALERT_RULES, new JsonObject().put("_id", ruleId).put("user_id", userId))
        .compose(doc -> doc == null ? Future.failedFuture(CodvidException.notFound(NOT_FOUND)) : Future.succeededFuture(doc));
  }

  /** Switches a rule's webhook off (the receiver answered 410 Gone) unless its URL changed meanwhile. */
  Future<Void> disableWebhook(String ruleId, String url, String reason) {
    return mongo.updateCollection(Collections.ALERT_RULES, new JsonObject().put("_id", ruleId).put("webhook_url", url),
        new JsonObject().put("$set", new JsonObject().put("webhook_disabled_at", System.currentTimeMillis() / 1000)
            .put("webhook_disabled_reason", reason))).mapEmpty();
  }

  /** Removes the rules of a deleted task and forgets its cooldowns in the user's rules for every task. */
  Future<Void> taskDeleted(String userId, String taskId) {
    return mongo.removeDocuments(Collections.ALERT_RULES, new JsonObject().put("user_id", userId).put("task_id", taskId))
        .compose(v -> mongo.updateCollectionWithOptions(Collections.ALERT_RULES, new JsonObject().put("user_id", userId),
            new JsonObject().put("$unset", new JsonObject().put("cooldowns." + taskId, "")), new UpdateOptions().setMulti(true)))
        .mapEmpty();
  }

  // ---- checking ----

  private static void unknownFields(JsonObject data, Set<String> allowed) {
    for (String key : data.fieldNames()) {
      if (!allowed.contains(key)) {
        throw CodvidException.badRequest("Unknown field '" + clip(key) + "': a rule has " + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  private static String clip(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
  }

  /** Copies the given inputs (type-checked) into the rule; null values remove a setting. */
  private static void copyInputs(JsonObject data, JsonObject rule) {
    if (data.containsKey("task_id")) {
      String taskId = Fields.optionalString(data, "task_id", 64);
      if (taskId != null && taskId.isBlank()) {
        throw CodvidException.badRequest("task_id must not be empty: leave it out (or null) for every task");
      }
      rule.put("task_id", taskId);
    }
    if (data.containsKey("name")) {
      String name = Fields.optionalString(data, "name", MAX_NAME);
      rule.put("name", name == null || name.isBlank() ? null : name.strip());
    }
    if (data.containsKey("metric")) {
      rule.put("metric", Fields.optionalString(data, "metric", 40));
    }
    if (data.containsKey("condition")) {
      rule.put("condition", Fields.optionalString(data, "condition", 40));
    }
    if (data.containsKey("threshold")) {
      rule.put("threshold", Fields.optionalNumber(data, "threshold"));
    }
    if (data.containsKey("baseline_scrapes")) {
      rule.put("baseline_scrapes", baselineScrapes(data.getValue("baseline_scrapes")));
    }
    if (data.containsKey("cooldown_hours")) {
      rule.put("cooldown_hours", Fields.optionalNumber(data, "cooldown_hours"));
    }
    if (data.containsKey("enabled")) {
      rule.put("enabled", Fields.optionalBoolean(data, "enabled", true));
    }
    if (data.containsKey("webhook_url")) {
      String url = Fields.optionalString(data, "webhook_url", WebhookUrl.MAX_LENGTH);
      rule.put("webhook_url", url == null || url.isBlank() ? null : url.strip());
    }
    if (data.containsKey("webhook_secret")) {
      String secret = Fields.optionalString(data, "webhook_secret", MAX_SECRET);
      if (secret != null && (secret.length() < MIN_SECRET || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
        throw CodvidException.badRequest("webhook_secret must be " + MIN_SECRET + " to " + MAX_SECRET
            + " visible ASCII characters (no spaces); leave it out to get a generated one");
      }
      rule.put("webhook_secret", secret);
    }
  }

  private static int baselineScrapes(Object raw) {
    if (raw == null) {
      return AlertOptions.DEFAULT_BASELINE_SCRAPES;
    }
    double value;
    if (raw instanceof Number n) {
      value = n.doubleValue();
    } else {
      throw baselineError();
    }
    if (value != Math.rint(value) || value < 1 || value > MAX_BASELINE_SCRAPES) {
      throw baselineError();
    }
    return (int) value;
  }

  private static CodvidException baselineError() {
    return CodvidException.badRequest("baseline_scrapes must be a whole number from 1 to " + MAX_BASELINE_SCRAPES);
  }

  /** Checks a whole rule (fields filled in with defaults), its task's owner and its webhook URL's address. */
  private Future<JsonObject> validate(String userId, JsonObject rule) {
    String metricName = rule.getString("metric");
    if (metricName == null) {
      throw CodvidException.badRequest("missing metric! Use one of " + Metric.names());
    }
    Metric metric = Metric.fromWire(metricName);
    if (metric == null) {
      throw CodvidException.badRequest("Unknown metric '" + clip(metricName) + "': use one of " + Metric.names());
    }
    String conditionName = rule.getString("condition");
    Double threshold = rule.getDouble("threshold");
    if (metric == Metric.SCRAPE_FAILED) {
      if (conditionName != null || threshold != null) {
        throw CodvidException.badRequest("scrape_failed takes no condition or threshold: it fires on every failed scrape, once per cooldown");
      }
    } else {
      if (conditionName == null) {
        throw CodvidException.badRequest("missing condition! Use one of " + Condition.names());
      }
      Condition condition = Condition.fromWire(conditionName);
      if (condition == null) {
        throw CodvidException.badRequest("Unknown condition '" + clip(conditionName) + "': use one of " + Condition.names());
      }
      if (threshold == null) {
        throw CodvidException.badRequest("missing threshold! A number is needed with " + conditionName);
      }
      checkThreshold(metric, condition, threshold);
    }
    rule.put("baseline_scrapes", rule.getInteger("baseline_scrapes", AlertOptions.DEFAULT_BASELINE_SCRAPES));
    Double cooldown = rule.getDouble("cooldown_hours");
    if (cooldown == null) {
      cooldown = AlertOptions.DEFAULT_COOLDOWN_HOURS;
    }
    if (cooldown < 0 || cooldown > MAX_COOLDOWN_HOURS) {
      throw CodvidException.badRequest("cooldown_hours must be from 0 to " + (int) MAX_COOLDOWN_HOURS + " (hours)");
    }
    rule.put("cooldown_hours", cooldown);
    rule.put("enabled", rule.getBoolean("enabled", true));
    if (rule.getString("webhook_url") == null && rule.getString("webhook_secret") != null) {
      throw CodvidException.badRequest("webhook_secret needs a webhook_url");
    }
    Future<Void> task = rule.getString("task_id") == null ? Future.succeededFuture() : checkTask(userId, rule.getString("task_id"), metric);
    Future<?> url = rule.getString("webhook_url") == null ? Future.succeededFuture() : sender.check(rule.getString("webhook_url"));
    return task.compose(v -> url).map(v -> rule);
  }

  private static void checkThreshold(Metric metric, Condition condition, double threshold) {
    if (condition.againstBaseline()) {
      double span = metric.relativeChange() ? 1_000_000 : metric.max() - metric.min();
      if (threshold <= 0 || threshold > span) {
        throw CodvidException.badRequest("threshold of " + condition.wireName() + " must be above 0 and at most "
            + format(span) + (metric.relativeChange() ? " (% of the baseline)" : " (percentage points)"));
      }
    } else if (threshold < metric.min() || threshold > metric.max()) {
      throw CodvidException.badRequest("threshold of " + metric.wireName() + " must be from " + format(metric.min())
          + (metric.max() == Double.MAX_VALUE ? " up" : " to " + format(metric.max())));
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** The task must be one of the user's (another user's is 404, as an unknown one); followers need a profile. */
  private Future<Void> checkTask(String userId, String taskId, Metric metric) {
    if (!taskId.matches("[A-Za-z0-9-]{1,64}")) {
      return Future.failedFuture(CodvidException.notFound(TrackingTasks.NOT_FOUND));
    }
    return tasks.locate(userId, taskId).compose(found -> {
      if (metric == Metric.FOLLOWERS && found.kind() == TaskKind.REEL) {
        return Future.failedFuture(CodvidException.badRequest("followers is not known for a reel task: use it with a profile task"));
      }
      return Future.succeededFuture();
    });
  }
}
