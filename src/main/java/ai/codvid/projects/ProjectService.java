package ai.codvid.projects;

import ai.codvid.CodvidException;
import ai.codvid.store.Collections;
import ai.codvid.store.DeletedUsers;
import ai.codvid.store.Limits;
import ai.codvid.store.MongoErrors;
import ai.codvid.store.ReadCache;
import ai.codvid.tracking.HistorySink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.UUID;

/**
 * A user's projects: name, info, AI memory and chat, and a {@code mod_count} that grows by one
 * for every change so clients can detect a stale cache.
 *
 * <p>Every change drops the user's cached reads on all nodes; a create respects
 * {@code limits.projects_per_user} and is taken back if the account was deleted meanwhile; a
 * change that would make the project document larger than the store keeps fails with 413.
 */
public final class ProjectService {

  public static final String NOT_FOUND = "Project not found";
  public static final String EXISTS = "Project already exists";
  public static final String SCHEMA_VERSION = "4.0";

  private final MongoClient mongo;
  private final ReadCache reads;
  private final DeletedUsers deleted;
  private final Limits limits;
  private volatile HistorySink history = HistorySink.NONE;

  public ProjectService(MongoClient mongo, ReadCache reads, DeletedUsers deleted, Limits limits) {
    this.mongo = mongo;
    this.reads = reads;
    this.deleted = deleted;
    this.limits = limits;
  }

  /** The cache of users' reads, which every change below keeps honest. */
  public ReadCache reads() {
    return reads;
  }

  private <T> Future<T> changing(String userId, Future<T> write) {
    return write.onComplete(done -> reads.changed(userId))
        .recover(failure -> Future.failedFuture(MongoErrors.toDomain(failure)));
  }

  /** Told about every reel task deleted with its project, as the tracking tasks tell it about theirs. */
  public void historySink(HistorySink sink) {
    this.history = sink;
  }

  public Future<Void> create(String userId, String name, String description, JsonArray keywords) {
    String id = UUID.randomUUID().toString();
    JsonObject project = new JsonObject()
        .put("_id", id)
        .put("user_id", userId)
        .put("project_name", name)
        .put("schema_version", SCHEMA_VERSION)
        .put("mod_count", 0)
        .put("date", Instant.now().getEpochSecond())
        .put("project_info", new JsonObject()
            .put("description", description == null ? "" : description)
            .put("keywords", keywords == null ? new JsonArray() : keywords))
        .put("ai_memory", new JsonObject())
        .put("chats", new JsonArray());
    return Limits.within("projects/" + userId, limits.projectsPerUser(),
            () -> mongo.count(Collections.PROJECTS, new JsonObject().put("user_id", userId)),
            CodvidException.badRequest("Limit reached: an account can have at most " + limits.projectsPerUser()
                + " projects; delete one first"),
            () -> changing(userId, deleted.guardCreated(userId, Collections.PROJECTS, id, mongo.insert(Collections.PROJECTS, project))))
        .recover(failure -> Future.failedFuture(MongoErrors.isDuplicateKey(failure)
            ? CodvidException.badRequest(EXISTS) : failure))
        .mapEmpty();
  }

  public Future<JsonArray> names(String userId) {
    return mongo.findWithOptions(Collections.PROJECTS, new JsonObject().put("user_id", userId),
            new FindOptions().setFields(new JsonObject().put("project_name", 1)).setSort(new JsonObject().put("date", 1)))
        .map(docs -> {
          JsonArray names = new JsonArray();
          docs.forEach(doc -> names.add(doc.getString("project_name")));
          return names;
        });
  }

  /** The stored project document; fails with 400 "Project not found". */
  public Future<JsonObject> find(String userId, String name) {
    return mongo.findOne(Collections.PROJECTS, key(userId, name), null).compose(doc -> doc == null
        ? Future.failedFuture(CodvidException.badRequest(NOT_FOUND))
        : Future.succeededFuture(doc));
  }

  /** The client view of a project (without ids and owner). */
  public static JsonObject view(JsonObject doc, JsonArray reelTasks) {
    return new JsonObject()
        .put("project_name", doc.getString("project_name"))
        .put("schema_version", doc.getString("schema_version", SCHEMA_VERSION))
        .put("mod_count", doc.getLong("mod_count", 0L))
        .put("date", doc.getValue("date"))
        .put("project_info", doc.getJsonObject("project_info", new JsonObject()))
        .put("ai_memory", doc.getJsonObject("ai_memory", new JsonObject()))
        .put("chats", doc.getJsonArray("chats", new JsonArray()))
        .put("reel_tracking_tasks", reelTasks);
  }

  public Future<Long> modCount(String userId, String name) {
    return mongo.findOne(Collections.PROJECTS, key(userId, name), new JsonObject().put("mod_count", 1))
        .compose(doc -> doc == null
            ? Future.failedFuture(CodvidException.badRequest(NOT_FOUND))
            : Future.succeededFuture(doc.getLong("mod_count", 0L)));
  }

  /** Deletes the project and everything that lives in it (reel tasks and their history). */
  public Future<Void> delete(String userId, String name) {
    JsonObject key = key(userId, name);
    return mongo.findOne(Collections.PROJECTS, key, new JsonObject().put("_id", 1)).compose(doc -> {
      if (doc == null) {
        return Future.failedFuture(CodvidException.badRequest(NOT_FOUND));
      }
      JsonObject reelsOfProject = new JsonObject().put("user_id", userId).put("project_name", name);
      return mongo.findWithOptions(Collections.REEL_TASKS, reelsOfProject, new FindOptions().setFields(new JsonObject().put("_id", 1)))
          .compose(reels -> {
            JsonArray ids = new JsonArray();
            reels.forEach(r -> ids.add(r.getValue("_id")));
            Future<?> history = ids.isEmpty() ? Future.succeededFuture()
                : mongo.removeDocuments(Collections.TASK_HISTORY,
                    new JsonObject().put("user_id", userId).put("task_id", new JsonObject().put("$in", ids)));
            return history.compose(v -> mongo.removeDocuments(Collections.REEL_TASKS, reelsOfProject))
                .compose(v -> Future.all(ids.stream().map(id -> this.history.deleted(userId, (String) id)).toList()));
          })
          .compose(v -> changing(userId, mongo.removeDocument(Collections.PROJECTS, key)))
          .mapEmpty();
    });
  }

  /**
   * Applies an update to the project and bumps {@code mod_count} by {@code mods}; fails with
   * 400 "Project not found" when it does not exist.
   */
  public Future<Void> modify(String userId, String name, JsonObject update, int mods) {
    JsonObject withCount = update.copy();
    JsonObject inc = withCount.getJsonObject("$inc", new JsonObject()).put("mod_count", mods);
    withCount.put("$inc", inc);
    return changing(userId, mongo.updateCollection(Collections.PROJECTS, key(userId, name), withCount)).compose(result ->
        result.getDocMatched() == 0
            ? Future.failedFuture(CodvidException.badRequest(NOT_FOUND))
            : Future.succeededFuture());
  }

  static JsonObject key(String userId, String name) {
    return new JsonObject().put("user_id", userId).put("project_name", name);
  }
}
