package ai.codvid.insights;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.tracking.HistorySink;
import ai.codvid.tracking.TaskKind;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Engagement, growth, sentiment and comment figures of tracking tasks, computed from their
 * history (definitions: {@link Metrics}, docs/insights.md). One instance per node, shared by the
 * HTTP verticles, the AI chat tools and (as a {@link HistorySink}) the scrape pipeline.
 *
 * <p>Each successful scrape stores its figures twice, both computed once at scrape time: in its
 * task_history snapshot ({@code figures}) and as one point of the task's series document. A
 * request reads the series (one primary-key read, or none when this node has it in memory and
 * it is as new as the task's {@code last_scraped_ms}) and, for comment insights, the window's
 * snapshots by id (kept in memory per snapshot: a snapshot never changes). Figures are computed
 * per request from those points, so the window always ends now.
 */
public final class InsightsService implements HistorySink {

  /** A scrape stores its point this soon after the task says it was scraped; a series older than that is rebuilt. */
  static final long REBUILD_GRACE_MS = 60_000;
  private static final int SNAPSHOT_PAGE = 50;

  /** The task a request is about: its kind, owner and the version of its history. */
  public record TaskRef(TaskKind kind, String taskId, String userId, long version, String target, boolean competitor,
      String status) {

    static TaskRef of(TaskKind kind, JsonObject doc) {
      return new TaskRef(kind, doc.getString("_id"), doc.getString("user_id"), InsightsService.version(doc),
          kind == TaskKind.PROFILE ? doc.getString("target_profile") : doc.getString("reel_url"),
          doc.getBoolean("is_competitor", false), doc.getString("status"));
    }

    JsonObject toJson() {
      return new JsonObject().put("kind", kind.wireName()).put("task_id", taskId).put("user_id", userId)
          .put("version", version).put("target", target).put("is_competitor", competitor).put("status", status);
    }

    static TaskRef fromJson(JsonObject json) {
      return new TaskRef(TaskKind.fromWire(json.getString("kind")), json.getString("task_id"), json.getString("user_id"),
          json.getLong("version", 0L), json.getString("target"), json.getBoolean("is_competitor", false),
          json.getString("status"));
    }
  }

  /** The read-cache key of a user's profile task references. */
  static final String PROFILE_REFS = "insights.profiles";

  private final Vertx vertx;
  private final TrackingTasks tasks;
  private final InsightsStore store;
  private final InsightsOptions options;
  private final TextFeatures text;
  private final Retention retention;
  private final LongSupplier clock;
  private final WeightedCache<String, InsightsStore.Series> seriesCache;
  private final WeightedCache<String, List<CommentPoint>> commentCache;
  private final Map<String, Future<List<ScrapePoint>>> rebuilding = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> updates;

  public InsightsService(Vertx vertx, TrackingTasks tasks, io.vertx.ext.mongo.MongoClient mongo, InsightsOptions options) {
    this(vertx, tasks, mongo, options, System::currentTimeMillis);
  }

  InsightsService(Vertx vertx, TrackingTasks tasks, io.vertx.ext.mongo.MongoClient mongo, InsightsOptions options,
      LongSupplier clock) {
    this.vertx = vertx;
    this.tasks = tasks;
    this.store = new InsightsStore(mongo);
    this.options = options;
    this.text = TextFeatures.shared();
    this.retention = new Retention(options.historyMaxSnapshots(), options.historyMaxDays());
    this.clock = clock;
    this.seriesCache = new WeightedCache<>(options.cachePoints());
    this.commentCache = new WeightedCache<>(options.cacheComments());
    this.updates = vertx.eventBus().consumer(Addresses.INSIGHTS_UPDATED,
        message -> seriesCache.remove(message.body().getString("task_id")));
  }

  /** Completes when this node listens for the changes of other nodes and ICU's segmentation data is loaded (off the event loop). */
  public Future<Void> ready() {
    return updates.completion()
        .compose(v -> vertx.executeBlocking(() -> text.of("warm up 👍🏽 #codvid", "en"), false)).mapEmpty();
  }

  public Future<Void> close() {
    return updates.unregister();
  }

  public InsightsOptions options() {
    return options;
  }

  // ---- the API ----

  /** {@code insights/<task_id>}: the figures of one of the user's tasks over the last {@code windowDays} days. */
  public Future<JsonObject> insights(String userId, String taskId, int windowDays) {
    return owned(userId, taskId).compose(ref -> points(ref).compose(all -> {
      long nowMs = clock.getAsLong();
      long to = nowMs / 1000;
      long from = to - windowDays * 86_400L;
      List<ScrapePoint> window = window(all, from);
      List<ScrapePoint> newestFirst = new ArrayList<>(window);
      java.util.Collections.reverse(newestFirst);
      return comments(newestFirst).map(comments -> {
        ScrapePoint last = window.isEmpty() ? null : window.get(window.size() - 1);
        JsonArray series = new JsonArray();
        window.forEach(p -> series.add(Metrics.seriesPoint(p)));
        JsonObject response = new JsonObject()
            .put("task_id", ref.taskId())
            .put("task_type", ref.kind().wireName())
            .put(ref.kind() == TaskKind.PROFILE ? "target_profile" : "reel_url", ref.target())
            .put("window_days", windowDays)
            .put("latest", last == null ? null : Metrics.latest(last))
            .put("growth", Metrics.growth(window))
            .put("window", Metrics.period(window, from, to, windowDays))
            .put("series", series)
            .put("posts", last == null ? new JsonArray() : Metrics.posts(last))
            .put("comment_insights", Metrics.commentInsights(comments, options.topTerms()));
        return response;
      });
    }));
  }

  /** {@code benchmark}: each profile task of the user beside the three averages. */
  public Future<JsonObject> benchmark(String userId, int windowDays) {
    return profiles(userId).compose(refs -> {
      List<Future<List<ScrapePoint>>> all = new ArrayList<>();
      refs.forEach(ref -> all.add(points(ref)));
      return Future.all(all).map(done -> {
        long to = clock.getAsLong() / 1000;
        long from = to - windowDays * 86_400L;
        List<JsonObject> profiles = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
          TaskRef ref = refs.get(i);
          List<ScrapePoint> window = window(done.resultAt(i), from);
          profiles.add(new JsonObject()
              .put("task_id", ref.taskId())
              .put("target_profile", ref.target())
              .put("is_competitor", ref.competitor())
              .put("status", ref.status())
              .mergeIn(Metrics.benchmarkFigures(window, from, to, windowDays)));
        }
        JsonObject averages = Metrics.rankAndAverage(profiles);
        return new JsonObject()
            .put("window_days", windowDays)
            .put("profiles", new JsonArray(new ArrayList<>(profiles)))
            .mergeIn(averages);
      });
    });
  }

  /**
   * The figures of a task document (whoever owns it): {@code latest}, {@code growth},
   * {@code window} and {@code series} over the last {@code windowDays} days, as {@code insights}
   * computes them. For the AI chat tools and rules evaluated after a scrape.
   */
  public Future<JsonObject> figures(TaskKind kind, JsonObject taskDoc, int windowDays) {
    TaskRef ref = TaskRef.of(kind, taskDoc);
    return points(ref).map(all -> {
      long to = clock.getAsLong() / 1000;
      long from = to - windowDays * 86_400L;
      List<ScrapePoint> window = window(all, from);
      JsonArray series = new JsonArray();
      window.forEach(p -> series.add(Metrics.seriesPoint(p)));
      return new JsonObject()
          .put("latest", window.isEmpty() ? null : Metrics.latest(window.get(window.size() - 1)))
          .put("growth", Metrics.growth(window))
          .put("window", Metrics.period(window, from, to, windowDays))
          .put("series", series);
    });
  }

  /** Every scrape point of a task document (whoever owns it), oldest first. */
  public Future<List<ScrapePoint>> points(TaskKind kind, JsonObject taskDoc) {
    return points(TaskRef.of(kind, taskDoc));
  }

  /** The export of one of the user's tasks, checked and ready to write. */
  public Future<Export> export(String userId, String taskId, Export.What what, Export.Format format) {
    return owned(userId, taskId).compose(ref -> points(ref)
        .map(points -> new Export(ref, points, what, format, store, options.exportPageSnapshots())));
  }

  // ---- tasks ----

  /** One of the user's tasks: a profile from the (cached) list of the user's profiles, else a reel by id. */
  Future<TaskRef> owned(String userId, String taskId) {
    return profiles(userId).compose(refs -> {
      for (TaskRef ref : refs) {
        if (ref.taskId().equals(taskId)) {
          return Future.succeededFuture(ref);
        }
      }
      return tasks.find(TaskKind.REEL, userId, taskId).map(doc -> TaskRef.of(TaskKind.REEL, doc))
          .recover(e -> Future.failedFuture(CodvidException.notFound(TrackingTasks.NOT_FOUND)));
    });
  }

  /** The user's profile tasks, oldest first; kept in the read cache until any of the user's tasks changes. */
  Future<List<TaskRef>> profiles(String userId) {
    return tasks.reads().get(userId, PROFILE_REFS, () -> tasks.listProfiles(userId).map(docs -> {
      JsonArray list = new JsonArray();
      docs.forEach(doc -> list.add(TaskRef.of(TaskKind.PROFILE, doc).toJson()));
      return list.toBuffer();
    })).map(InsightsService::refs);
  }

  private static List<TaskRef> refs(Buffer encoded) {
    JsonArray list = encoded.toJsonArray();
    List<TaskRef> refs = new ArrayList<>(list.size());
    list.forEach(o -> refs.add(TaskRef.fromJson((JsonObject) o)));
    return refs;
  }

  /** The history version of a task document: when it was last scraped successfully (ms), 0 if never. */
  static long version(JsonObject doc) {
    Long ms = doc.getLong("last_scraped_ms");
    if (ms != null) {
      return ms;
    }
    Long seconds = doc.getLong("last_scraped");
    return seconds == null ? 0 : seconds * 1000;
  }

  // ---- series ----

  /** The task's points, oldest first: from memory, else its series document, else rebuilt from its history. */
  Future<List<ScrapePoint>> points(TaskRef ref) {
    if (ref.version() == 0) {
      return Future.succeededFuture(List.of());
    }
    InsightsStore.Series cached = seriesCache.get(ref.taskId());
    if (cached != null && cached.syncedMs() >= ref.version()) {
      return Future.succeededFuture(cached.points());
    }
    return store.find(ref.taskId()).compose(stored -> {
      if (stored != null && stored.syncedMs() >= ref.version()) {
        seriesCache.put(ref.taskId(), stored, Math.max(1, stored.points().size()));
        return Future.succeededFuture(stored.points());
      }
      if (stored != null && clock.getAsLong() - ref.version() < REBUILD_GRACE_MS) {
        return Future.succeededFuture(stored.points()); // the scrape that just ended is adding its point
      }
      return rebuild(ref);
    });
  }

  /** Builds the series from the history; concurrent requests for one task share one build. */
  private Future<List<ScrapePoint>> rebuild(TaskRef ref) {
    Future<List<ScrapePoint>> build = rebuilding.computeIfAbsent(ref.taskId(),
        id -> store.rebuild(ref.taskId(), ref.userId(), ref.kind(), ref.version()).map(series -> {
          seriesCache.put(ref.taskId(), series, Math.max(1, series.points().size()));
          return series.points();
        }));
    build.onComplete(done -> rebuilding.remove(ref.taskId(), build));
    return build;
  }

  static List<ScrapePoint> window(List<ScrapePoint> all, long from) {
    List<ScrapePoint> window = new ArrayList<>();
    for (ScrapePoint p : all) {
      if (p.scrapedAt() >= from) {
        window.add(p);
      }
    }
    return window;
  }

  /** The comments of each snapshot, in the order of the points given. */
  Future<List<List<CommentPoint>>> comments(List<ScrapePoint> points) {
    Map<String, List<CommentPoint>> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (ScrapePoint p : points) {
      List<CommentPoint> cached = commentCache.get(p.snapshotId());
      if (cached != null) {
        found.put(p.snapshotId(), cached);
      } else {
        missing.add(p.snapshotId());
      }
    }
    Future<Void> loaded = Future.succeededFuture();
    for (int i = 0; i < missing.size(); i += SNAPSHOT_PAGE) {
      List<String> page = missing.subList(i, Math.min(missing.size(), i + SNAPSHOT_PAGE));
      loaded = loaded.compose(v -> loadComments(page, found));
    }
    return loaded.map(v -> {
      List<List<CommentPoint>> out = new ArrayList<>(points.size());
      points.forEach(p -> out.add(found.getOrDefault(p.snapshotId(), List.of())));
      return out;
    });
  }

  /** Reads the figures of these snapshots; those stored without current figures are read again with their data. */
  private Future<Void> loadComments(List<String> ids, Map<String, List<CommentPoint>> into) {
    return store.snapshots(ids, new JsonObject().put("figures.v", 1).put("figures.comments", 1)).compose(docs -> {
      Set<String> stale = new HashSet<>(ids);
      for (JsonObject doc : docs) {
        JsonObject figures = doc.getJsonObject("figures");
        if (figures != null && figures.getInteger("v", 0) == SnapshotFigures.VERSION && figures.getJsonArray("comments") != null) {
          keep(doc.getString("_id"), SnapshotFigures.commentsOf(doc, text), into);
          stale.remove(doc.getString("_id"));
        }
      }
      if (stale.isEmpty()) {
        return Future.succeededFuture();
      }
      return store.snapshots(new ArrayList<>(stale), new JsonObject().put("data", 1).put("kind", 1))
          .compose(old -> vertx.executeBlocking(() -> { // segmenting text is CPU work: off the event loop
            Map<String, List<CommentPoint>> computed = new HashMap<>();
            old.forEach(doc -> computed.put(doc.getString("_id"), SnapshotFigures.commentsOf(doc, text)));
            return computed;
          }, false))
          .map(computed -> {
            computed.forEach((id, comments) -> keep(id, comments, into));
            return null;
          });
    });
  }

  private void keep(String snapshotId, List<CommentPoint> comments, Map<String, List<CommentPoint>> into) {
    into.put(snapshotId, comments);
    commentCache.put(snapshotId, comments, Math.max(1, comments.size()));
  }

  // ---- the scrape pipeline (HistorySink) ----

  @Override
  public JsonObject figures(TaskKind kind, JsonObject data, String snapshotId, long scrapedAt, long scrapedAtMs) {
    return SnapshotFigures.of(kind, data, text);
  }

  /**
   * Adds the scrape's point to the task's series (building the series from the history first
   * when the task has history but no series yet), applies the retention setting, and tells every
   * node.
   */
  @Override
  public Future<Void> stored(TaskKind kind, JsonObject task, JsonObject snapshot) {
    String taskId = task.getString("_id");
    String userId = task.getString("user_id");
    long syncedMs = snapshot.getLong("scraped_at_ms");
    ScrapePoint point = SnapshotFigures.pointOf(snapshot);
    Future<List<ScrapePoint>> before = version(task) == 0
        ? Future.succeededFuture(List.of())
        : store.find(taskId).compose(series -> series != null
            ? Future.succeededFuture(series.points())
            : store.rebuild(taskId, userId, kind, syncedMs).map(InsightsStore.Series::points));
    return before.compose(points -> {
      List<ScrapePoint> all = new ArrayList<>(points.size() + 1);
      for (ScrapePoint p : points) {
        if (!p.snapshotId().equals(point.snapshotId())) {
          all.add(p);
        }
      }
      all.add(point);
      all.sort(java.util.Comparator.comparingLong(ScrapePoint::scrapedAtMs));
      List<ScrapePoint> dropped = retention.dropped(all, clock.getAsLong());
      Set<String> droppedIds = new HashSet<>();
      dropped.forEach(p -> droppedIds.add(p.snapshotId()));
      List<ScrapePoint> kept = all.stream().filter(p -> !droppedIds.contains(p.snapshotId())).toList();
      InsightsStore.Series series = new InsightsStore.Series(syncedMs, kept);
      return store.save(taskId, userId, kind, series)
          .compose(v -> store.removeSnapshots(new ArrayList<>(droppedIds)))
          .onSuccess(v -> {
            seriesCache.remove(taskId);
            vertx.eventBus().publish(Addresses.INSIGHTS_UPDATED, new JsonObject().put("task_id", taskId)
                .put("user_id", userId).put("kind", kind.wireName()).put("scraped_at_ms", syncedMs));
          });
    });
  }

  @Override
  public Future<Void> deleted(String userId, String taskId) {
    seriesCache.remove(taskId);
    return store.delete(taskId);
  }
}
