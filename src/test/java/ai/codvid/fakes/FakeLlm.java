package ai.codvid.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible Chat Completions API on a real loopback port. Point the chat at it
 * with {@code llm.base_url = fake.baseUrl()} ({@code http://127.0.0.1:PORT/v1}),
 * {@code llm.api_key = FakeLlm.KEY}, {@code llm.model = FakeLlm.MODEL}.
 *
 * <p>{@code POST /v1/chat/completions} answers each request with the next queued {@link Script}
 * (a plain text answer when none is queued), in OpenAI's exact streaming format:
 * {@code data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":{…},"finish_reason":null}]}}
 * events, a last chunk with the finish reason, then {@code data: [DONE]}. Scripts can answer
 * text in chunks, tool calls (their arguments split into fragments), an error status with
 * OpenAI's error body, or break the connection after some chunks; {@link Script#delay} slows
 * the chunks down. Requests without the key get 401.
 *
 * <p>It records every request body ({@link #requests()}) and counts connections that the client
 * closed before the stream was complete ({@link #abandoned()}).
 */
public final class FakeLlm {

  public static final String KEY = "sk-fake-test-key-123";
  public static final String MODEL = "fake-gpt";

  private final HttpServer server;
  private final Vertx vertx;
  private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger abandoned = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();

  private FakeLlm(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static Future<FakeLlm> start(Vertx vertx) {
    FakeLlm[] holder = new FakeLlm[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> holder[0].handle(request));
    holder[0] = new FakeLlm(vertx, server);
    return server.listen(0, "127.0.0.1").map(s -> holder[0]);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Queues scripts; each answers one request, in order. */
  public FakeLlm enqueue(Script... next) {
    scripts.addAll(List.of(next));
    return this;
  }

  public List<JsonObject> requests() {
    return List.copyOf(requests);
  }

  /** Streams the client closed before they were complete. */
  public int abandoned() {
    return abandoned.get();
  }

  /** Streams sent to the end ([DONE] written). */
  public int completed() {
    return completed.get();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** What the fake answers to one request. */
  public static final class Script {
    private final int status;
    private final String errorType;
    private final Long retryAfterSeconds;
    private final List<JsonObject> deltas = new ArrayList<>();
    private String finishReason = "stop";
    private boolean dropAtEnd;
    private long delayMillis;

    private Script(int status, String errorType, Long retryAfterSeconds) {
      this.status = status;
      this.errorType = errorType;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A streamed text answer, one content delta per chunk. */
    public static Script text(String... chunks) {
      Script script = new Script(200, null, null);
      for (String chunk : chunks) {
        script.deltas.add(new JsonObject().put("content", chunk));
      }
      return script;
    }

    /**
     * Tool calls, each as OpenAI streams them: a first fragment with id, type and name, then
     * the arguments in two fragments; finish reason "tool_calls".
     */
    public static Script toolCalls(String... idNameArguments) {
      Script script = new Script(200, null, null);
      for (int i = 0; i + 2 < idNameArguments.length; i += 3) {
        int index = i / 3;
        String arguments = idNameArguments[i + 2];
        int cut = arguments.length() / 2;
        script.deltas.add(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
            .put("index", index).put("id", idNameArguments[i]).put("type", "function")
            .put("function", new JsonObject().put("name", idNameArguments[i + 1]).put("arguments", "")))));
        for (String part : List.of(arguments.substring(0, cut), arguments.substring(cut))) {
          script.deltas.add(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
              .put("index", index).put("function", new JsonObject().put("arguments", part)))));
        }
      }
      script.finishReason = "tool_calls";
      return script;
    }

    /** An error status with OpenAI's error body, e.g. 429 "rate_limit_exceeded" or 500 "server_error". */
    public static Script status(int status, String type) {
      return new Script(status, type, null);
    }

    /** 429 with a Retry-After header. */
    public static Script rateLimited(long retryAfterSeconds) {
      return new Script(429, "rate_limit_exceeded", retryAfterSeconds);
    }

    /** Sends the chunks, then closes the connection without a finish reason or [DONE]. */
    public static Script dropAfter(String... chunks) {
      Script script = text(chunks);
      script.dropAtEnd = true;
      return script;
    }

    /** Waits this long before each chunk. */
    public Script delay(long millis) {
      this.delayMillis = millis;
      return this;
    }
  }

  private void handle(HttpServerRequest request) {
    if (!"/v1/chat/completions".equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      requests.add(json);
      HttpServerResponse response = request.response();
      if (!("Bearer " + KEY).equals(request.getHeader("Authorization"))) {
        error(response, 401, "invalid_api_key", null);
        return;
      }
      Script script = scripts.poll();
      if (script == null) {
        script = Script.text("Default ", "answer.");
      }
      if (script.status != 200) {
        error(response, script.status, script.errorType, script.retryAfterSeconds);
        return;
      }
      response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-cache");
      boolean[] finished = {false};
      response.closeHandler(v -> {
        if (!finished[0]) {
          abandoned.incrementAndGet();
        }
      });
      List<JsonObject> chunks = new ArrayList<>();
      chunks.add(new JsonObject().put("role", "assistant").put("content", ""));
      chunks.addAll(script.deltas);
      send(response, json.getString("model"), script, chunks, 0, finished);
    });
  }

  private void send(HttpServerResponse response, String model, Script script, List<JsonObject> chunks, int next, boolean[] finished) {
    if (response.closed()) {
      return;
    }
    if (next == chunks.size()) {
      if (script.dropAtEnd) {
        finished[0] = true;
        response.reset();
        return;
      }
      response.write(event(model, new JsonObject(), script.finishReason));
      finished[0] = true;
      completed.incrementAndGet();
      response.end("data: [DONE]\n\n");
      return;
    }
    Runnable write = () -> {
      if (!response.closed()) {
        response.write(event(model, chunks.get(next), null));
        send(response, model, script, chunks, next + 1, finished);
      }
    };
    if (script.delayMillis > 0) {
      vertx.setTimer(script.delayMillis, id -> write.run());
    } else {
      write.run();
    }
  }

  private static String event(String model, JsonObject delta, String finishReason) {
    JsonObject chunk = new JsonObject()
        .put("id", "chatcmpl-fake")
        .put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model)
        .put("system_fingerprint", "fp_fake")
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0).put("delta", delta).put("logprobs", null).put("finish_reason", finishReason)));
    return "data: " + chunk.encode() + "\n\n";
  }

  private static void error(HttpServerResponse response, int status, String type, Long retryAfterSeconds) {
    if (retryAfterSeconds != null) {
      response.putHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject()
            .put("message", "Fake provider failure " + status + " (secret detail that must not reach clients)")
            .put("type", type).put("param", null).put("code", type)).encode());
  }
}
