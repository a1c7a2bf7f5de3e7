package ai.codvid.ai;

import ai.codvid.projects.ProjectService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * Changes the chat of one project during one answer, as chunks of data_mods rooted at
 * {@code ["projects", <project>, "chats", …]}. Each chunk is applied to a local copy with the
 * clients' own rules ({@link DataMods#apply}), stored as <b>one</b> update that adds one to
 * {@code mod_count} (as a client adds one per chunk), and only then sent, strictly in order: a
 * client never receives a change that was not stored, and a client that applies every chunk
 * holds the stored chat with the stored {@code mod_count}.
 *
 * <p>Whole messages are {@code append}ed to the list. A streaming text is appended as a message
 * that already carries its first piece, then grows by {@code edit}s of its {@code text} with the
 * whole text so far: at most one edit per {@link ChatOptions#textEditIntervalMillis()}, and
 * never while the previous chunk is still being stored (the pieces that arrive meanwhile join
 * the next edit).
 */
final class ChatLog {

  private static final String CHATS = "chats";

  private final Vertx vertx;
  private final ProjectService projects;
  private final String userId;
  private final String project;
  private final String pathName;
  private final JsonObject userData;
  private final ChunkSink sink;
  private final long textInterval;
  private final boolean testMessages;
  private Future<Void> tail = Future.succeededFuture();
  private int plannedSize;
  private JsonArray prefix = new JsonArray();
  private Text open;
  private long lastTextChunk;

  /** A text message being streamed. */
  private static final class Text {
    final int index;
    final JsonObject message;
    final StringBuilder text = new StringBuilder();
    String sent;
    boolean flushQueued;

    Text(int index, JsonObject message) {
      this.index = index;
      this.message = message;
    }
  }

  /**
   * {@code project} is the stored project's name, {@code pathName} the name the client asked with
   * (and keys its {@code user_data} by), which the mods' paths use.
   */
  ChatLog(Vertx vertx, ProjectService projects, String userId, String project, String pathName, JsonArray chats, ChunkSink sink,
      long textIntervalMillis, boolean testMessages) {
    this.vertx = vertx;
    this.projects = projects;
    this.userId = userId;
    this.project = project;
    this.pathName = pathName;
    this.userData = new JsonObject().put(DataMods.PROJECTS,
        new JsonObject().put(pathName, new JsonObject().put(CHATS, chats.copy())));
    this.sink = sink;
    this.textInterval = textIntervalMillis;
    this.testMessages = testMessages;
    this.plannedSize = chats.size();
  }

  /**
   * Stores a message the client already added to its own copy (its own question): one
   * {@code mod_count} step, as the client counted it, and nothing is sent.
   */
  void storeUnsent(JsonObject message) {
    closeText();
    plannedSize++;
    JsonArray mods = new JsonArray().add(DataMods.append(chatsPath(), message));
    enqueue(() -> Future.succeededFuture(mods), false);
  }

  /** Removes the {@code count} oldest messages; the {@code del} mods lead the next chunk. */
  void trimOldest(int count) {
    closeText();
    for (int i = 0; i < count; i++) {
      prefix.add(DataMods.del(chatsPath(0)));
    }
    plannedSize -= count;
  }

  /** Appends a whole message in one chunk; answers its index. */
  int append(JsonObject message) {
    closeText();
    int index = plannedSize++;
    JsonArray mods = new JsonArray().add(DataMods.append(chatsPath(), message));
    enqueue(() -> Future.succeededFuture(mods), true);
    return index;
  }

  /** Replaces {@code chats[index][key]} in one chunk. */
  void edit(int index, String key, Object value) {
    closeText();
    JsonArray mods = new JsonArray().add(DataMods.edit(chatsPath(index, key), value));
    enqueue(() -> Future.succeededFuture(mods), true);
  }

  /**
   * Adds a piece to the streaming assistant text, opening a new assistant message (appended
   * with this first piece) when none is open.
   */
  void text(String delta) {
    if (delta.isEmpty()) {
      return;
    }
    if (open == null) {
      JsonObject message = ChatMessages.assistant("");
      open = new Text(plannedSize++, testMessages ? message.put("test", true) : message);
    }
    open.text.append(delta);
    if (!open.flushQueued) {
      open.flushQueued = true;
      Text text = open;
      enqueue(() -> flushText(text, true), true);
    }
  }

  /** Ends the streaming text: later text opens a new message. */
  void closeText() {
    if (open != null) {
      Text text = open;
      open = null;
      enqueue(() -> flushText(text, false), true);
    }
  }

  /** Completes when every change so far is stored (and sent, while the client is there); the open text stays open. */
  Future<Void> flushed() {
    if (open != null) {
      Text text = open;
      enqueue(() -> flushText(text, false), true);
    }
    if (!prefix.isEmpty()) {
      enqueue(() -> Future.succeededFuture(new JsonArray()), true);
    }
    return tail;
  }

  /** The stored messages (the local copy, equal to the database's chat once {@link #flushed()}). */
  JsonArray chats() {
    return userData.getJsonObject(DataMods.PROJECTS).getJsonObject(pathName).getJsonArray(CHATS);
  }

  private Future<JsonArray> flushText(Text text, boolean throttled) {
    long wait = throttled && text.sent != null ? lastTextChunk + textInterval - System.currentTimeMillis() : 0;
    return delay(wait).map(v -> {
      if (throttled) {
        text.flushQueued = false;
      }
      String now = text.text.toString();
      JsonArray mods = new JsonArray();
      if (text.sent == null) {
        mods.add(DataMods.append(chatsPath(), text.message.copy().put("text", now)));
      } else if (!now.equals(text.sent)) {
        mods.add(DataMods.edit(chatsPath(text.index, "text"), now));
      } else {
        return mods;
      }
      text.sent = now;
      lastTextChunk = System.currentTimeMillis();
      return mods;
    });
  }

  private Future<Void> delay(long millis) {
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    vertx.setTimer(millis, id -> done.complete());
    return done.future();
  }

  /** Queues one chunk: {@code del}s waiting in the prefix (unless unsent) and the produced mods. */
  private void enqueue(Supplier<Future<JsonArray>> produce, boolean send) {
    JsonArray leading = new JsonArray();
    if (send) {
      leading = prefix;
      prefix = new JsonArray();
    }
    JsonArray first = leading;
    tail = tail.compose(v -> produce.get()).compose(produced -> {
      JsonArray mods = first.copy().addAll(produced);
      if (mods.isEmpty()) {
        return Future.succeededFuture();
      }
      return store(mods).map(x -> {
        if (send && sink.isOpen()) {
          sink.send(DataMods.chunk(mods));
        }
        return null;
      });
    });
  }

  private Future<Void> store(JsonArray mods) {
    DataMods.apply(userData, mods);
    return projects.modify(userId, project, storageUpdate(mods), 1);
  }

  /**
   * The MongoDB update storing one chunk: a single append is a {@code $push}, a single edit a
   * {@code $set} of that field; anything else (a chunk with {@code del}s) sets the whole chat.
   */
  private JsonObject storageUpdate(JsonArray mods) {
    if (mods.size() == 1) {
      JsonObject mod = mods.getJsonObject(0);
      JsonArray path = mod.getJsonArray("key_path");
      if (DataMods.APPEND.equals(mod.getString("mode")) && path.size() == 3) {
        return new JsonObject().put("$push", new JsonObject().put(CHATS, mod.getValue("value")));
      }
      if (DataMods.EDIT.equals(mod.getString("mode")) && path.size() == 5
          && path.getValue(3) instanceof Integer index && index >= 0) {
        return new JsonObject().put("$set", new JsonObject().put(CHATS + "." + index + "." + path.getString(4), mod.getValue("value")));
      }
    }
    return new JsonObject().put("$set", new JsonObject().put(CHATS, chats()));
  }

  private JsonArray chatsPath(Object... rest) {
    JsonArray path = DataMods.projectPath(pathName, CHATS);
    for (Object part : rest) {
      path.add(part);
    }
    return path;
  }

  static List<JsonObject> messages(JsonArray chats) {
    return chats.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
  }
}
