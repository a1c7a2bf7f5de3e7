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
 * The AI chat of a project. {@link #begin} checks the project and takes the project's answer
 * lock (one answer at a time per user and project, cluster-wide); the returned {@link Answer}
 * then produces the answer as data_mods through a {@link ChatLog} — with the configured
 * OpenAI-compatible model and its tools, or with the {@link OfflineAssistant} — and releases
 * the lock whatever happens.
 */
public final class ChatService {

  private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
  public static final String BUSY = "An answer is already being generated for this project";
  public static final String LOCKS = "codvid.ai.answering";
  static final String TEST_TEXT = "This is a test stream from the Codvid AI backend. Every chunk carries data_mods; apply them in order.";

  private final Vertx vertx;
  private final ProjectService projects;
  private final ChatTools tools;
  private final LlmOptions options;
  private final OpenAiCompatibleClient client;

  public ChatService(Vertx vertx, ProjectService projects, TrackingTasks tasks, LlmOptions options) {
    this.vertx = vertx;
    this.projects = projects;
    this.tools = new ChatTools(tasks);
    this.options = options;
    this.client = options.providerConfigured() ? new OpenAiCompatibleClient(vertx, options) : null;
  }

  public LlmOptions options() {
    return options;
  }

  /** The project's document with the answer lock held; 400 "Project not found", 409 {@value #BUSY}. */
  public Future<Answer> begin(String userId, String project) {
    return projects.find(userId, project).compose(doc -> {
      String key = userId + "/" + project;
      String token = UUID.randomUUID().toString();
      return locks().compose(map -> map.putIfAbsent(key, token, options.maxAnswerSeconds() * 1000L + 10_000)
          .compose(previous -> previous != null
              ? Future.failedFuture(CodvidException.conflict(BUSY))
              : Future.succeededFuture(new Answer(userId, project, doc, map, key, token))));
    });
  }

  private Future<AsyncMap<String, String>> locks() {
    return vertx.sharedData().getAsyncMap(LOCKS);
  }

  /** One answer in progress. Call exactly one of {@link #respond}, {@link #testStream} or {@link #abandon}. */
  public final class Answer {
    private final String userId;
    private final String project;
    private final JsonObject doc;
    private final AsyncMap<String, String> locks;
    private final String lockKey;
    private final String lockToken;
    private ChatLog log;
    private OpenAiCompatibleClient.Call current;
    private String stopReason;
    private boolean clientGone;
    private int textIndex = -1;
    private boolean anyText;

    private Answer(String userId, String project, JsonObject doc, AsyncMap<String, String> locks, String lockKey, String lockToken) {
      this.userId = userId;
      this.project = project;
      this.doc = doc;
      this.locks = locks;
      this.lockKey = lockKey;
      this.lockToken = lockToken;
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

    /** Appends the user's message and streams the answer to it. */
    public Future<Void> respond(String text, ChunkSink sink) {
      JsonArray history = doc.getJsonArray("chats", new JsonArray());
      log = new ChatLog(projects, userId, project, history, sink);
      long deadline = vertx.setTimer(options.maxAnswerSeconds() * 1000L,
          id -> stop("The answer took longer than " + options.maxAnswerSeconds() + " s and was stopped."));
      log.append(ChatMessages.user(text), ChatMessages.event(ChatMessages.LOADING,
          client == null ? "Reading the project's tracked data…" : "Thinking…"));
      Future<Void> answer = log.flushed().compose(v -> client == null ? offline(text) : withModel(text, history));
      return finish(answer, sink).eventually(() -> {
        vertx.cancelTimer(deadline);
        return release();
      });
    }

    /** A short canned answer in the same chunk format, stored like a real one. */
    public Future<Void> testStream(ChunkSink sink) {
      log = new ChatLog(projects, userId, project, doc.getJsonArray("chats", new JsonArray()), sink);
      int index = log.append(ChatMessages.assistant("").put("test", true));
      Future<Void> chain = log.flushed();
      String[] words = TEST_TEXT.split("(?<= )");
      for (String word : words) {
        chain = chain.compose(v -> pause(40)).compose(v -> {
          checkRunning();
          log.appendText(index, word);
          return log.flushed();
        });
      }
      return finish(chain, sink).eventually(this::release);
    }

    private Future<Void> pause(long millis) {
      Promise<Void> done = Promise.promise();
      vertx.setTimer(millis, id -> done.complete());
      return done.future();
    }

    private Future<Void> finish(Future<Void> answer, ChunkSink sink) {
      return answer.compose(v -> log.flushed()).transform(done -> {
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

    private Future<Void> withModel(String question, JsonArray history) {
      List<JsonObject> messages = new ArrayList<>();
      messages.add(new JsonObject().put("role", "system").put("content", systemPrompt()));
      List<JsonObject> earlier = ChatLog.messages(history).stream()
          .filter(m -> ChatMessages.isText(m, "user") || ChatMessages.isText(m, "assistant"))
          .filter(m -> !m.getBoolean("test", false))
          .toList();
      for (JsonObject m : earlier.subList(Math.max(0, earlier.size() - options.maxHistoryMessages()), earlier.size())) {
        messages.add(new JsonObject().put("role", m.getString("role")).put("content", m.getString("text", "")));
      }
      messages.add(new JsonObject().put("role", "user").put("content", question));
      return round(messages, 0);
    }

    private Future<Void> round(List<JsonObject> messages, int round) {
      checkRunning();
      boolean toolsAllowed = round < options.maxToolRounds();
      JsonObject request = new JsonObject().put("messages", new JsonArray(new ArrayList<>(messages)));
      if (options.maxToolRounds() > 0) {
        request.put("tools", ChatTools.definitions()).put("tool_choice", toolsAllowed ? "auto" : "none");
      }
      textIndex = -1;
      current = client.stream(request, this::onText);
      return current.result().compose(completion -> {
        current = null;
        textIndex = -1;
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
      if (textIndex < 0) {
        textIndex = log.append(ChatMessages.assistant(""));
      }
      anyText = true;
      log.appendText(textIndex, delta);
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
        checkRunning();
        int index = log.append(ChatMessages.assistant(""));
        List<String> paragraphs = OfflineAssistant.report(project, base.get(0), base.get(1), details);
        Future<Void> chain = log.flushed();
        for (int i = 0; i < paragraphs.size(); i++) {
          String paragraph = (i == 0 ? "" : "\n\n") + paragraphs.get(i);
          chain = chain.compose(v -> {
            checkRunning();
            log.appendText(index, paragraph);
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
