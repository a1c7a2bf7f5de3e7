package ai.codvid.insights;

import ai.codvid.store.Collections;
import ai.codvid.tracking.TaskKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The stored side of insights: one series document per task in {@value Collections#INSIGHTS_SERIES}
 * ({@code {_id: task_id, user_id, kind, v, synced_ms, points: [...]}}, oldest first) and the
 * task_history snapshots it indexes.
 *
 * <p>Every read here is by primary key ({@code _id}, or {@code _id $in [...]}), the one kind of
 * query the embedded store answers from an index; a task's history is only scanned to build a
 * missing series (history written before insights existed).
 */
final class InsightsStore {

  /** A task's series as stored: the points and the task version ({@code last_scraped_ms}) they reflect. */
  record Series(long syncedMs, List<ScrapePoint> points) {
    static final Series EMPTY = new Series(0, List.of());
  }

  private final MongoClient mongo;

  InsightsStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The stored series, or null when there is none (or one of an older version). */
  Future<Series> find(String taskId) {
    return mongo.findOne(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", taskId), null).map(doc -> {
      if (doc == null || doc.getInteger("v", 0) != SnapshotFigures.VERSION) {
        return null;
      }
      List<ScrapePoint> points = new ArrayList<>();
      doc.getJsonArray("points", new JsonArray()).forEach(p -> points.add(ScrapePoint.fromJson((JsonObject) p)));
      return new Series(doc.getLong("synced_ms", 0L), List.copyOf(points));
    });
  }

  Future<Void> save(String taskId, String userId, TaskKind kind, Series series) {
    JsonArray points = new JsonArray();
    series.points().forEach(p -> points.add(p.toJson()));
    return mongo.save(Collections.INSIGHTS_SERIES, new JsonObject()
            .put("_id", taskId).put("user_id", userId).put("kind", kind.wireName())
            .put("v", SnapshotFigures.VERSION).put("synced_ms", series.syncedMs()).put("points", points))
        .mapEmpty();
  }

  /**
   * Builds the series from the task's whole history (a scan of task_history on the embedded
   * store) and stores it as reflecting {@code syncedMs}.
   */
  Future<Series> rebuild(String taskId, String userId, TaskKind kind, long syncedMs) {
    return mongo.findWithOptions(Collections.TASK_HISTORY, new JsonObject().put("user_id", userId).put("task_id", taskId),
            new FindOptions().setFields(new JsonObject().put("data", 1).put("kind", 1).put("scraped_at", 1).put("scraped_at_ms", 1)))
        .map(snapshots -> {
          List<ScrapePoint> points = new ArrayList<>(snapshots.size());
          snapshots.forEach(s -> points.add(SnapshotFigures.pointOf(s)));
          points.sort(Comparator.comparingLong(ScrapePoint::scrapedAtMs));
          return new Series(syncedMs, List.copyOf(points));
        })
        .compose(series -> save(taskId, userId, kind, series).map(series));
  }

  /** The snapshots with these ids, with only {@code fields}, in no particular order. */
  Future<List<JsonObject>> snapshots(List<String> ids, JsonObject fields) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return mongo.findWithOptions(Collections.TASK_HISTORY,
        new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids)))),
        new FindOptions().setFields(fields));
  }

  Future<Void> removeSnapshots(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return mongo.removeDocuments(Collections.TASK_HISTORY,
        new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))))).mapEmpty();
  }

  Future<Void> delete(String taskId) {
    return mongo.removeDocument(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", taskId)).mapEmpty();
  }
}
