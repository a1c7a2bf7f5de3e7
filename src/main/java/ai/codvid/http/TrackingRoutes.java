package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.instagram.InstagramNames;
import ai.codvid.observability.CodvidMetrics;
import ai.codvid.projects.ProjectService;
import ai.codvid.store.ReadCache;
import ai.codvid.tracking.SentimentSummary;
import ai.codvid.tracking.TaskKind;
import ai.codvid.tracking.TaskViews;
import ai.codvid.tracking.TrackingOptions;
import ai.codvid.tracking.TrackingService;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Instagram profile and reel tracking under {@code /codvid-ai/ig-tracking}: every endpoint of
 * API.md under both of its names.
 */
final class TrackingRoutes {

  private static final String BASE = "/ig-tracking/";
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final int DEFAULT_LOGS = 10;
  private static final int MAX_LOGS = 100;

  private final TrackingService tracking;
  private final TrackingTasks tasks;
  private final ProjectService projects;
  private final TrackingOptions options;
  private final RateLimiter forceScrapes;
  private final CodvidMetrics metrics;

  TrackingRoutes(TrackingService tracking, ProjectService projects, TrackingOptions options, RateLimiter forceScrapes,
      CodvidMetrics metrics) {
    this.forceScrapes = forceScrapes;
    this.metrics = metrics;
    this.tracking = tracking;
    this.tasks = tracking.tasks();
    this.projects = projects;
    this.options = options;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    route(router, authenticated, this::createProfileTask, methods(HttpMethod.POST), "create_task", "create_profile_tracking_task");
    route(router, authenticated, this::profileTasks, methods(HttpMethod.GET, HttpMethod.POST), "get_tasks", "get_profile_tracking_tasks");
    route(router, authenticated, this::profileTask, methods(HttpMethod.GET, HttpMethod.POST), "get_task/:id", "get_profile_tracking_task/:id");
    route(router, authenticated, this::deleteProfileTask, methods(HttpMethod.DELETE, HttpMethod.POST), "delete_task/:id", "delete_profile_tracking_task/:id");
    route(router, authenticated, this::updateProfileTask, methods(HttpMethod.PUT, HttpMethod.POST), "update_task/:id", "update_profile_tracking_task/:id");
    route(router, authenticated, this::forceScrape, methods(HttpMethod.POST), "force_scrape/:id", "force_scrape_profile_tracking_task/:id", "force_scrape_reel/:id");
    route(router, authenticated, this::updateInterval, methods(HttpMethod.PUT, HttpMethod.POST), "update_scrape_interval/:id", "update_profile_tracking_scrape_interval/:id");
    route(router, authenticated, this::taskStatus, methods(HttpMethod.GET, HttpMethod.POST), "task_status/:id", "profile_tracking_task_status/:id", "reel_tracking_task_status/:id");
    route(router, authenticated, this::sentimentSummary, methods(HttpMethod.GET, HttpMethod.POST), "sentiment_summary/:id");
    route(router, authenticated, this::taskHistory, methods(HttpMethod.GET, HttpMethod.POST), "get_task_history/:id");

    route(router, authenticated, this::createReelTask, methods(HttpMethod.POST), "create_reel_task");
    route(router, authenticated, this::projectReelTasks, methods(HttpMethod.GET, HttpMethod.POST), "get_project_reel_tasks");
    route(router, authenticated, this::reelTask, methods(HttpMethod.GET, HttpMethod.POST), "get_reel_tracking_task/:id");
    route(router, authenticated, this::deleteReelTask, methods(HttpMethod.DELETE, HttpMethod.POST), "delete_reel_task/:id");
  }

  private static HttpMethod[] methods(HttpMethod... methods) {
    return methods;
  }

  private static void route(Router router, Handler<RoutingContext> authenticated, Function<RoutingContext, Future<Reply>> useCase,
      HttpMethod[] methods, String... paths) {
    for (String path : paths) {
      var route = router.route(Api.path(BASE + path));
      for (HttpMethod method : methods) {
        route.method(method);
      }
      route.handler(authenticated).handler(Reply.handler(useCase));
    }
  }

  // ---- profiles ----

  private Future<Reply> createProfileTask(RoutingContext ctx) {
    JsonObject data = Envelope.data(ctx);
    String username = InstagramNames.normalizeUsername(required(data, "target_profile", 200));
    boolean competitor = Fields.optionalBoolean(data, "is_competitor", false);
    double interval = interval(data, 2.0);
    return tasks.createProfile(Authenticated.userId(ctx), username, competitor, interval)
        .map(doc -> Reply.ok(new JsonObject()
            .put("task_id", doc.getString("_id"))
            .put("target_profile", username)
            .put("message", "Instagram tracking task created successfully")));
  }

  /** The answer is cached per user for a few seconds; every change to the user's tasks drops it. */
  private Future<Reply> profileTasks(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    return tasks.reads().get(userId, () -> tasks.listProfiles(userId).map(docs -> {
      JsonArray list = new JsonArray();
      docs.forEach(doc -> list.add(TaskViews.profileSummary(doc)));
      return Reply.encode(new JsonObject().put("tasks", list).put("total_tasks", list.size()));
    })).map(Reply::encoded);
  }

  /** Cached per user until the user's tasks change (see ReadCache), like every read below. */
  private Future<Reply> profileTask(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    String id = taskId(ctx);
    return tasks.reads().get(userId, "task:" + id, () -> tasks.find(TaskKind.PROFILE, userId, id)
            .map(doc -> Reply.encode(withTaskCopy(TaskViews.profileDetail(doc)))))
        .map(Reply::encoded);
  }

  private Future<Reply> deleteProfileTask(RoutingContext ctx) {
    return tasks.delete(TaskKind.PROFILE, Authenticated.userId(ctx), taskId(ctx))
        .map(doc -> Reply.ok(new JsonObject().put("task_id", doc.getString("_id"))
            .put("message", "Instagram tracking task deleted successfully")));
  }

  private Future<Reply> updateProfileTask(RoutingContext ctx) {
    JsonObject data = Envelope.data(ctx);
    Boolean competitor = data.containsKey("is_competitor") ? Fields.optionalBoolean(data, "is_competitor", false) : null;
    String status = status(data);
    Double interval = data.containsKey("scrape_interval_days") ? interval(data, 2.0) : null;
    if (competitor == null && status == null && interval == null) {
      throw CodvidException.badRequest("Nothing to update: give is_competitor, status or scrape_interval_days");
    }
    return tasks.update(TaskKind.PROFILE, Authenticated.userId(ctx), taskId(ctx), competitor, status, interval)
        .map(doc -> Reply.ok(new JsonObject().put("message", "Task updated successfully")
            .put("task", TaskViews.profileSummary(doc))));
  }

  private Future<Reply> updateInterval(RoutingContext ctx) {
    JsonObject data = Envelope.data(ctx);
    if (data.getValue("scrape_interval_days") == null) {
      throw CodvidException.badRequest("Missing required field: scrape_interval_days");
    }
    double interval = interval(data, 2.0);
    String userId = Authenticated.userId(ctx);
    String id = taskId(ctx);
    return tasks.locate(userId, id)
        .compose(found -> tasks.update(found.kind(), userId, id, null, null, interval))
        .map(doc -> Reply.ok(new JsonObject()
            .put("message", "Scrape interval updated successfully")
            .put("task_id", id)
            .put("scrape_interval_days", doc.getValue("scrape_interval_days"))
            .put("next_scrape_due", doc.getLong("next_scrape_due"))));
  }

  // ---- runs ----

  private Future<Reply> forceScrape(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    long wait = forceScrapes.acquire(userId);
    if (wait > 0) {
      metrics.forceScrapeLimited();
      ctx.response().putHeader("Retry-After", String.valueOf(wait));
      throw new CodvidException(ai.codvid.FailureCode.TOO_MANY_REQUESTS,
          "Too many force_scrape requests: at most " + forceScrapes.limit() + " per minute. Retry in " + wait + " s.");
    }
    return tasks.locate(userId, taskId(ctx))
        .compose(found -> tracking.start(found.kind(), found.doc(), "manual").map(claim -> Reply.top(200, new JsonObject()
            .put("message", found.kind().initiatedMessage())
            .put("task_id", claim.taskId())
            .put("run_id", claim.runId())
            .put("status", "processing"))));
  }

  /** The status of a task that is not running is cached; a running one is read live every time. */
  private Future<Reply> taskStatus(RoutingContext ctx) {
    int logs = logsCount(ctx);
    String userId = Authenticated.userId(ctx);
    String id = taskId(ctx);
    return tracking.registry().live(id).compose(live -> live != null
        ? tasks.locate(userId, id).compose(found -> tracking.status(found.kind(), found.doc(), logs)).map(Reply::ok)
        : tasks.reads().getAnswer(userId, "status:" + id + ":" + logs, () -> tasks.locate(userId, id)
                .compose(found -> tracking.status(found.kind(), found.doc(), logs))
                .map(status -> new ReadCache.Answer(Reply.encode(status), !status.getBoolean("is_processing", false))))
            .map(Reply::encoded));
  }

  private Future<Reply> sentimentSummary(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    String id = taskId(ctx);
    return tasks.reads().get(userId, "summary:" + id, () -> tasks.locate(userId, id).map(found -> Reply.encode(new JsonObject()
            .put("task_id", found.doc().getString("_id"))
            .put("task_type", found.kind().wireName())
            .put("last_scraped", found.doc().getLong("last_scraped"))
            .put("sentiment_summary", SentimentSummary.of(SentimentSummary.comments(found.doc()))))))
        .map(Reply::encoded);
  }

  private Future<Reply> taskHistory(RoutingContext ctx) {
    int limit = boundedInt(Envelope.data(ctx), "limit", 10, 1, 100);
    String userId = Authenticated.userId(ctx);
    return tasks.locate(userId, taskId(ctx))
        .compose(found -> tasks.history(userId, found.doc().getString("_id"), limit).map(snapshots -> {
          JsonArray history = new JsonArray();
          snapshots.forEach(s -> history.add(new JsonObject()
              .put("scraped_at", s.getLong("scraped_at"))
              .put("sentiment_summary", s.getJsonObject("sentiment_summary"))
              .put(found.kind() == TaskKind.PROFILE ? "target_profile_data" : "reel_data", s.getJsonObject("data"))));
          return Reply.ok(new JsonObject().put("task_id", found.doc().getString("_id"))
              .put("task_type", found.kind().wireName()).put("history", history).put("count", history.size()));
        }));
  }

  // ---- reels ----

  private Future<Reply> createReelTask(RoutingContext ctx) {
    JsonObject data = Envelope.data(ctx);
    String project = ProjectRoutes.projectName(data);
    String url = required(data, "reel_url", 2048);
    String reelId = InstagramNames.reelId(url);
    double interval = interval(data, 2.0);
    String userId = Authenticated.userId(ctx);
    return projects.find(userId, project)
        .compose(p -> tasks.createReel(userId, project, url.trim(), reelId, interval))
        .compose(doc -> projects.modify(userId, project, new JsonObject(), 1).map(doc))
        .map(doc -> Reply.ok(new JsonObject()
            .put("task_id", doc.getString("_id"))
            .put("reel_id", reelId)
            .put("message", "Reel tracking task created successfully")));
  }

  private Future<Reply> projectReelTasks(RoutingContext ctx) {
    String project = ProjectRoutes.projectName(Envelope.data(ctx));
    String userId = Authenticated.userId(ctx);
    return tasks.reads().get(userId, "reels:" + project, () -> projects.find(userId, project)
            .compose(p -> reelViews(userId, project))
            .map(list -> Reply.encode(new JsonObject().put("tasks", list).put("total_tasks", list.size()))))
        .map(Reply::encoded);
  }

  /** The reel tasks of a project in their client shape (also used by get-project-data). */
  Future<JsonArray> reelViews(String userId, String project) {
    return tasks.listReels(userId, project).map(docs -> {
      JsonArray list = new JsonArray();
      docs.forEach(doc -> list.add(TaskViews.reel(doc)));
      return list;
    });
  }

  private Future<Reply> reelTask(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    String id = taskId(ctx);
    return tasks.reads().get(userId, "reel:" + id, () -> tasks.find(TaskKind.REEL, userId, id)
            .map(doc -> Reply.encode(withTaskCopy(TaskViews.reel(doc)))))
        .map(Reply::encoded);
  }

  private Future<Reply> deleteReelTask(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    return tasks.delete(TaskKind.REEL, userId, taskId(ctx))
        .compose(doc -> projects.modify(userId, doc.getString("project_name"), new JsonObject(), 1)
            .recover(e -> Future.succeededFuture())
            .map(v -> Reply.ok(new JsonObject().put("task_id", doc.getString("_id"))
                .put("message", "Reel tracking task deleted successfully"))));
  }

  // ---- inputs ----

  /** The task fields at the top of {@code response} and the same object under {@code response.task}. */
  private static JsonObject withTaskCopy(JsonObject task) {
    return task.copy().put("task", task);
  }

  /** The shape of a task id in a path; anything else is "not found" without a store lookup. */
  static boolean isTaskId(String id) {
    return id != null && TASK_ID.matcher(id).matches();
  }

  private static String taskId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!isTaskId(id)) {
      throw CodvidException.notFound(TrackingTasks.NOT_FOUND);
    }
    return id;
  }

  private static String required(JsonObject data, String key, int maxLength) {
    String value = Fields.optionalString(data, key, maxLength);
    if (value == null || value.isBlank()) {
      throw CodvidException.badRequest("Missing required field: " + key);
    }
    return value;
  }

  private double interval(JsonObject data, double def) {
    Double value = Fields.optionalNumber(data, "scrape_interval_days");
    if (value == null) {
      return def;
    }
    if (value <= 0 || value > options.maxIntervalDays() || value * 86_400 < 60) {
      throw CodvidException.badRequest("scrape_interval_days must be greater than 0 (at least one minute) and at most "
          + Math.round(options.maxIntervalDays()));
    }
    return value;
  }

  private static String status(JsonObject data) {
    String status = Fields.optionalString(data, "status", 32);
    if (status != null && !status.equals(TrackingTasks.ACTIVE) && !status.equals(TrackingTasks.PAUSED)) {
      throw CodvidException.badRequest("status must be \"active\" or \"paused\"");
    }
    return status;
  }

  private static int logsCount(RoutingContext ctx) {
    String raw = ctx.queryParams().get("logs_count");
    JsonObject source = raw != null ? new JsonObject().put("logs_count", raw) : Envelope.data(ctx);
    return boundedInt(source, "logs_count", DEFAULT_LOGS, 0, MAX_LOGS);
  }

  private static int boundedInt(JsonObject data, String key, int def, int min, int max) {
    Object raw = data.getValue(key);
    if (raw == null) {
      return def;
    }
    long value;
    try {
      value = raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue() : Long.parseLong(raw.toString().trim());
    } catch (NumberFormatException e) {
      throw CodvidException.badRequest(key + " must be an integer from " + min + " to " + max);
    }
    if (value < min || value > max) {
      throw CodvidException.badRequest(key + " must be an integer from " + min + " to " + max);
    }
    return (int) value;
  }
}
