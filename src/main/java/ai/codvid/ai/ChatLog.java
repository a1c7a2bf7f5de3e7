package ai.codvid.ai;

import ai.codvid.projects.ProjectService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Changes the chat of one project during one answer, as data_mods. Each change is applied to a
 * local copy of the project data ({@link DataMods#applyOne}), stored (one {@code mod_count} per
 * mod) and only then sent as a chunk, strictly in order: a client never receives a mod that was
 * not stored, and a client that applies every chunk in order holds the stored chat.
 *
 * <p>Text deltas are coalesced: while a write is in flight, deltas that arrive join the next
 * {@code append} mod, so a fast model does not cost one database write per token.
 */
final class ChatLog {

  private final ProjectService projects;
  private final String userId;
  private final String project;
  private final JsonObject data;
  private final ChunkSink sink;
  private Future<Void> tail = Future.succeededFuture();
  private int plannedSize;
  private final StringBuilder pendingText = new StringBuilder();
  private int pendingIndex = -1;
  private boolean textQueued;
  private int generation;

  ChatLog(ProjectService projects, String userId, String project, JsonArray chats, ChunkSink sink) {
    this.projects = projects;
    this.userId = userId;
    this.project = project;
    this.data = new JsonObject().put("chats", chats.copy());
    this.sink = sink;
    this.plannedSize = chats.size();
  }

  /** Appends messages to {@code chats} in one chunk; answers the index of the first. */
  int append(JsonObject... messages) {
    seal();
    int first = plannedSize;
    plannedSize += messages.length;
    JsonArray mods = new JsonArray();
    for (JsonObject message : messages) {
      mods.add(DataMods.append(DataMods.path("chats"), message));
    }
    enqueue(() -> mods);
    return first;
  }

  /** Appends text to the message at {@code index} (coalesced with the deltas that follow while a write is in flight). */
  void appendText(int index, String delta) {
    if (delta.isEmpty()) {
      return;
    }
    if (pendingText.length() > 0 && pendingIndex != index) {
      seal();
    }
    pendingIndex = index;
    pendingText.append(delta);
    if (!textQueued) {
      textQueued = true;
      int queuedIn = generation;
      enqueue(() -> {
        if (queuedIn != generation) {
          return new JsonArray();
        }
        textQueued = false;
        return takeText();
      });
    }
  }

  /** Replaces the value at {@code chats[index].key}. */
  void edit(int index, String key, Object value) {
    seal();
    enqueue(() -> new JsonArray().add(DataMods.edit(DataMods.path("chats", index, key), value)));
  }

  /** Queues the pending text now, so it keeps its place before the next change. */
  private void seal() {
    generation++;
    textQueued = false;
    if (pendingText.length() > 0) {
      JsonArray fixed = takeText();
      enqueue(() -> fixed);
    }
  }

  private JsonArray takeText() {
    JsonArray mods = new JsonArray();
    if (pendingText.length() > 0) {
      mods.add(DataMods.append(DataMods.path("chats", pendingIndex, "text"), pendingText.toString()));
      pendingText.setLength(0);
    }
    return mods;
  }

  /** Completes when every change so far is stored (and sent, while the client is there). */
  Future<Void> flushed() {
    seal();
    return tail;
  }

  /** The stored messages (the local copy, equal to the database's chat once {@link #flushed()}). */
  JsonArray chats() {
    return data.getJsonArray("chats");
  }

  private void enqueue(java.util.function.Supplier<JsonArray> mods) {
    tail = tail.compose(v -> {
      JsonArray batch = mods.get();
      if (batch.isEmpty()) {
        return Future.succeededFuture();
      }
      Future<Void> stored = Future.succeededFuture();
      for (Object mod : batch) {
        stored = stored.compose(x -> store((JsonObject) mod));
      }
      return stored.map(x -> {
        if (sink.isOpen()) {
          sink.send(new JsonObject().put("result", true).put("response", new JsonObject().put("data_mods", batch)));
        }
        return null;
      });
    });
  }

  private Future<Void> store(JsonObject mod) {
    DataMods.applyOne(data, mod);
    return projects.modify(userId, project, DataMods.storageUpdate(data, mod), 1);
  }

  static List<JsonObject> messages(JsonArray chats) {
    return chats.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
  }
}
