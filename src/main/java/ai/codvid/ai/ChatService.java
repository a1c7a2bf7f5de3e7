package ai.codvid.ai;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.projects.ProjectService;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI chat of a project. {@link #beginAnswer} / {@link #beginTest} check the project and the
 * request, and take the project's answer lock (one answer at a time per user and project,
 * cluster-wide), all before anything is streamed; the returned {@link Answer} then produces the
 * answer as data_mods chunks through a {@link ChatLog} — with the configured OpenAI-compatible
 * model and its tools, or with the {@link OfflineAssistant} — and releases the lock whatever
 * happens.
 *
 * <p>The chat an answer starts from (the stored chat plus the new message) is capped by
 * {@link ChatOptions}: over the cap, the oldest messages are removed first ({@code del} mods in
 * the answer's first chunk), or the request is refused with 409 when {@code chat.when_full} is
 * {@code refuse}.
 */
public final class ChatService {

  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
  public static final String BUSY = "An answer is already being generated for this project";
  public static final String NOTHING_TO_ANSWER = "Nothing to answer yet: the chat of this project has no message. Send a message with text.";
  public static final String LOCKS = "codvid.ai.answering";
  /** The key of {@code user_data} that a respond-stream-test without a project writes. */
  public static final String STREAM_TEST_KEY = "stream_test";
  static final String TEST_TEXT = "This is a test stream from the Codvid AI backend. Every chunk carries data_mods; apply them in order.";
  private static final long TEST_PAUSE_MILLIS = 40;

  private final Vertx vertx;
  private final ProjectService projects;
  private final ChatTools tools;
  private final LlmOptions options;
  private final ChatOptions chatOptions;
  private final OpenAiCompatibleClient client;

  public ChatService(Vertx vertx, ProjectService projects, TrackingTasks tasks, LlmOptions options, ChatOptions chatOptions) {
    this.vertx = vertx;
    this.projects = projects;
    this.tools = new ChatTools(tasks);
    this.options = options;
    this.chatOptions = chatOptions;
    this.client = options.providerConfigured() ? new OpenAiCompatibleClient(vertx, options) : null;
  }

  public LlmOptions options() {
    return options;
  }

  public ChatOptions chatOptions() {
    return chatOptions;
  }

  /** The message a 409 answers when {@code chat.when_full} is {@code refuse} and the chat is full. */
  public String fullMessage() {
    return "The chat of this project is full (at most " + chatOptions.maxMessages() + " messages and "
        + chatOptions.maxChars() + " characters) and its history is kept, so no new answer fits. Continue in a new project.";
  }

  /**
   * Prepares an answer to {@code text}, or, when {@code text} is empty, an answer from the
   * existing chat without a new message ("/r"). Fails, before anything is stored or streamed,
   * with 400 "Project not found", 400 {@value #NOTHING_TO_ANSWER} (empty text, no user message
   * in the chat), 409 {@value #BUSY}, or 409 {@link #fullMessage()}.
   */
  public Future<Answer> beginAnswer(String userId, ProjectRef project, String text) {
    JsonObject question = text.isEmpty() ? null : ChatMessages.user(text);
    return begin(userId, project, question, false);
  }

  /** Prepares a test stream into the project's chat (same failures as {@link #beginAnswer} but "nothing to answer"). */
  public Future<Answer> beginTest(String userId, ProjectRef project) {
    return begin(userId, project, null, true);
  }

  /**
   * The project an answer is for: {@code name} as stored (and looked up), {@code asSent} as the
   * client wrote it, which keys its {@code user_data} and so the mods' paths (the two differ
   * only by surrounding spaces, which lookups ignore).
   */
  public record ProjectRef(String name, String asSent) {
  }

  private Future<Answer> begin(String userId, ProjectRef ref, JsonObject question, boolean test) {
    String project = ref.name();
    return projects.find(userId, project).compose(doc -> {
      String key = userId + "/" + project;
      String token = UUID.randomUUID().toString();
      return locks().compose(map -> map.putIfAbsent(key, token, options.maxAnswerSeconds() * 1000L + 10_000)
          .compose(previous -> {
            if (previous != null) {
              return Future.failedFuture(CodvidException.conflict(BUSY));
            }
            Answer answer = new Answer(userId, ref, doc, map, key, token, question, test);
            return answer.check().transform(checked -> checked.succeeded()
                ? Future.succeededFuture(answer)
                : answer.release().compose(v -> Future.failedFuture(checked.cause())));
          }));
    });
  }

  private Future<AsyncMap<String, String>> locks() {
    return vertx.sharedData().getAsyncMap(LOCKS);
  }

  /**
   * respond-stream-test without a project: the canned text streamed into
   * {@code user_data["stream_test"]} (a {@code create} with the first word, then {@code edit}s of
   * its text), touching no project, storing nothing.
   */
  public Future<Void> testStreamWithoutProject(ChunkSink sink) {
    JsonArray path = DataMods.path(STREAM_TEST_KEY);
    StringBuilder so = new StringBuilder();
    Future<Void> chain = Future.succeededFuture();
    for (String word : TEST_TEXT.split("(?<= )")) {
      chain = chain.compose(v -> pause(TEST_PAUSE_MILLIS)).compose(v -> {
        if (!sink.isOpen()) {
          return Future.failedFuture(new CodvidException(FailureCode.UPSTREAM, "The client disconnected."));
        }
        boolean first = so.length() == 0;
        so.append(word);
        JsonObject mod = first
            ? DataMods.mod(DataMods.CREATE, path, ChatMessages.assistant(so.toString()).put("test", true))
            : DataMods.edit(DataMods.path(STREAM_TEST_KEY, "text"), so.toString());
        sink.send(DataMods.chunk(new JsonArray().add(mod)));
        return Future.succeededFuture();
      });
    }
    return chain.onComplete(done -> sink.end(null)).otherwiseEmpty();
  }

  private Future<Void> pause(long millis) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(millis, id -> done.complete());
    return done.future();
  }

  /** One answer in progress. Call exactly one of {@link #run} or {@link #abandon}. */
  public final class Answer {
    private final String userId;
    private final String project;
    private final String pathName;
    private final JsonObject doc;
    private final AsyncMap<String, String> locks;
    private final String lockKey;
    private final String lockToken;
    private final JsonObject question;
    private final boolean test;
    private int trim;
    private ChatLog log;
    private OpenAiCompatibleClient.Call current;
    private String stopReason;
    private boolean clientGone;
    private boolean anyText;

    private Answer(String userId, ProjectRef ref, JsonObject doc, AsyncMap<String, String> locks, String lockKey, String lockToken,
        JsonObject question, boolean test) {
      this.userId = userId;
      this.project = ref.name();
      this.pathName = ref.asSent();
      this.doc = doc;
      this.locks = locks;
      this.lockKey = lockKey;
      this.lockToken = lockToken;
      this.question = question;
      this.test = test;
    }

    /** The checks made under the lock, before anything is stored: something to answer, and room in the chat. */
    private Future<Void> check() {
      List<JsonObject> starting = new ArrayList<>(ChatLog.messages(history()));
      if (!test && question == null && starting.stream().noneMatch(m -> ChatMessages.isText(m, "user"))) {
        return Future.failedFuture(CodvidException.badRequest(NOTHING_TO_ANSWER));
      }
      if (question != null) {
        starting.add(question);
      }
      trim = chatOptions.overflow(starting);
      if (trim > 0 && chatOptions.whenFull() == ChatOptions.WhenFull.REFUSE) {
        return Future.failedFuture(CodvidException.conflict(fullMessage()));
      }
      return Future.succeededFuture();
    }

    private JsonArray history() {
      return doc.getValue("chats") instanceof JsonArray chats ? chats : new JsonArray();
    }

    /** Releases the lock without answering (the request failed before streaming). */
    public Future<Void> abandon() {
      return release();
    }

    /**
     * The client disconnected: generation stops (the provider connection is closed), what was
     * stored stays, and an {@code interrupted} event is stored after it.
     */
    public void clientGone() {
      clientGone = true;
      stop("The client disconnected before the answer was complete.");
    }

    private void stop(String reason) {
      if (stopReason == null) {
        stopReason = reason;
        if (current != null) {
          current.cancel(reason);
        }
      }
    }

    private void checkRunning() {
      if (stopReason != null) {
        throw new CodvidException(FailureCode.UPSTREAM, stopReason);
      }
    }

    /** Streams the answer (or the test stream) into {@code sink}; completes when it ended and the lock is released. */
    public Future<Void> run(ChunkSink sink) {
      log = new ChatLog(vertx, projects, userId, project, pathName, history(), sink, chatOptions.textEditIntervalMillis(), test);
      long deadline = vertx.setTimer(options.maxAnswerSeconds() * 1000L,
          id -> stop("The answer took longer than " + options.maxAnswerSeconds() + " s and was stopped."));
      Future<Void> answer = test ? testStream() : respond();
      return finish(answer, sink).eventually(() -> {
        vertx.cancelTimer(deadline);
        return release();
      });
    }

    /**
     * Stores the user's message unsent (the client added it itself), trims the oldest messages
     * when over the cap, and answers.
     */
    private Future<Void> respond() {
      if (question != null) {
        log.storeUnsent(question);
      }
      log.trimOldest(trim);
      log.append(ChatMessages.event(ChatMessages.LOADING,
          client == null ? "Reading the project's tracked data…" : "Thinking…"));
      return log.flushed().compose(v -> client == null ? offline(questionText()) : withModel());
    }

    /** The new message's text, or for an answer without one the latest user message's. */
    private String questionText() {
      if (question != null) {
        return question.getString("text");
      }
      List<JsonObject> users = ChatLog.messages(log.chats()).stream().filter(m -> ChatMessages.isText(m, "user")).toList();
      return users.isEmpty() ? "" : users.get(users.size() - 1).getString("text", "");
    }

    /** A short canned answer in the same chunk format, stored like a real one. */
    private Future<Void> testStream() {
      log.trimOldest(trim);
      Future<Void> chain = Future.succeededFuture();
      for (String word : TEST_TEXT.split("(?<= )")) {
        chain = chain.compose(v -> pause(TEST_PAUSE_MILLIS)).compose(v -> {
          checkRunning();
          log.text(word);
          return log.flushed();
        });
      }
      return chain;
    }

    private Future<Void> finish(Future<Void> answer, ChunkSink sink) {
      return answer.compose(v -> {
        log.closeText();
        return log.flushed();
      }).transform(done -> {
        if (done.succeeded() && stopReason == null) {
          sink.end(null);
          return Future.succeededFuture();
        }
        String reason = stopReason != null ? stopReason : safeMessage(done.cause());
        if (clientGone) {
          log.append(ChatMessages.event(ChatMessages.INTERRUPTED, "The answer was interrupted: the client disconnected."));
          return log.flushed().otherwiseEmpty();
        }
        log.append(ChatMessages.event(ChatMessages.ERROR, reason));
        return log.flushed().otherwiseEmpty().map(v -> {
          sink.end(reason);
          return null;
        });
      });
    }

    private Future<Void> release() {
      return locks.removeIfPresent(lockKey, lockToken).otherwise(false).mapEmpty();
    }

    // ---- with a language model ----

    /**
     * The system prompt and the chat's user and assistant texts (test answers aside): the last
     * {@code llm.max_history_messages} before the newest one, and the newest one, which is the
     * question (or, answering again without a new message, the chat's latest text).
     */
    private Future<Void> withModel() {
      List<JsonObject> messages = new ArrayList<>();
      messages.add(new JsonObject().put("role", "system").put("content", systemPrompt()));
      List<JsonObject> texts = ChatLog.messages(log.chats()).stream()
          .filter(m -> ChatMessages.isText(m, "user") || ChatMessages.isText(m, "assistant"))
          .filter(m -> !m.getBoolean("test", false))
          .toList();
      for (JsonObject m : texts.subList(Math.max(0, texts.size() - options.maxHistoryMessages() - 1), texts.size())) {
        messages.add(new JsonObject().put("role", m.getString("role")).put("content", m.getString("text", "")));
      }
      return round(messages, 0);
    }

    private Future<Void> round(List<JsonObject> messages, int round) {
      checkRunning();
      boolean toolsAllowed = round < options.maxToolRounds();
      JsonObject request = new JsonObject().put("messages", new JsonArray(new ArrayList<>(messages)));
      if (options.maxToolRounds() > 0) {
        request.put("tools", ChatTools.definitions()).put("tool_choice", toolsAllowed ? "auto" : "none");
      }
      current = client.stream(request, this::onText);
      return current.result().compose(completion -> {
        current = null;
        log.closeText();
        if (completion.toolCalls().isEmpty() || !toolsAllowed) {
          if (!anyText) {
            log.append(ChatMessages.event(ChatMessages.INFO, "The language model sent an empty answer."));
          }
          return log.flushed();
        }
        messages.add(new JsonObject().put("role", "assistant")
            .put("content", completion.content().isEmpty() ? null : completion.content())
            .put("tool_calls", new JsonArray(completion.toolCalls().stream().map(ToolCall::toJson).toList())));
        return runTools(completion.toolCalls()).compose(results -> {
          for (int i = 0; i < results.size(); i++) {
            messages.add(new JsonObject().put("role", "tool")
                .put("tool_call_id", completion.toolCalls().get(i).id())
                .put("content", results.get(i).encode()));
          }
          if (round + 1 >= options.maxToolRounds()) {
            log.append(ChatMessages.event(ChatMessages.INFO, "Reached the limit of " + options.maxToolRounds()
                + " tool rounds for one answer; answering with the data gathered so far."));
            messages.add(new JsonObject().put("role", "system").put("content",
                "The tool limit for this answer is reached. Answer now with the data you have."));
          }
          return round(messages, round + 1);
        });
      });
    }

    private void onText(String delta) {
      if (stopReason != null) {
        return;
      }
      anyText = anyText || !delta.isEmpty();
      log.text(delta);
    }

    private String systemPrompt() {
      JsonObject info = doc.getJsonObject("project_info", new JsonObject());
      return "You are the Codvid AI assistant inside the project \"" + project + "\""
          + (info.getString("description", "").isBlank() ? "" : " (description: " + info.getString("description") + ")")
          + (info.getJsonArray("keywords", new JsonArray()).isEmpty() ? "" : ", keywords: " + info.getJsonArray("keywords").encode())
          + ". You help the user understand the Instagram reels tracked in this project and the Instagram profiles they track"
          + " (their own and competitors'): engagement, comment sentiment and how profiles compare."
          + " Use the tools to read the tracked data. Only state numbers that a tool returned; never estimate or invent"
          + " figures. If the data is missing or not scraped yet, say so. Answer in the user's language, concisely.";
    }

    /** Runs the calls one after the other, each recorded as a tool_calling message whose result is filled in. */
    private Future<List<JsonObject>> runTools(List<ToolCall> calls) {
      List<JsonObject> results = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (ToolCall call : calls) {
        chain = chain.compose(v -> runTool(call)).map(result -> {
          results.add(result);
          return null;
        });
      }
      return chain.map(v -> results);
    }

    private Future<JsonObject> runTool(ToolCall call) {
      checkRunning();
      int index = log.append(ChatMessages.toolCall(call, "Calling " + call.name()));
      return tools.call(userId, project, call.name(), call.arguments()).map(result -> {
        log.edit(index, "result", result);
        return result;
      });
    }

    // ---- without a language model ----

    private Future<Void> offline(String question) {
      List<ToolCall> first = OfflineAssistant.firstCalls();
      return runTools(first).compose(base -> runTools(OfflineAssistant.plan(question, base.get(1))).compose(details -> {
        List<String> paragraphs = OfflineAssistant.report(project, base.get(0), base.get(1), details);
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < paragraphs.size(); i++) {
          String paragraph = (i == 0 ? "" : "\n\n") + paragraphs.get(i);
          chain = chain.compose(v -> {
            checkRunning();
            log.text(paragraph);
            return log.flushed();
          });
        }
        return chain;
      }));
    }
  }

  /** A message safe for a client: domain messages as they are, anything else generic (and logged). */
  static String safeMessage(Throwable failure) {
    if (failure instanceof CodvidException e) {
      return e.getMessage();
    }
    LOG.error("AI answer failed", failure);
    return "The answer could not be completed because of an internal error.";
  }
}
