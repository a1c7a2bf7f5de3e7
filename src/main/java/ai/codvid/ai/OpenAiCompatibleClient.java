package ai.codvid.ai;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one Chat Completions call ({@code POST {base_url}/chat/completions} with
 * {@code stream: true}) from any OpenAI-compatible provider and parses its server-sent events:
 * {@code choices[0].delta.content} goes to the caller as it arrives, {@code delta.tool_calls}
 * fragments are merged by their index, {@code data: [DONE]} ends the stream.
 *
 * <p>Until the first content or tool-call fragment arrived, 429, 5xx, timeouts and connection
 * errors are retried (Retry-After honoured, otherwise exponential backoff with jitter, capped by
 * {@code llm.max_attempts}); after it, a failure ends the call. Failures carry short, safe
 * messages: never the key, never the provider's error text (only its status and error type).
 *
 * <p>Each attempt uses its own web client, so {@link Call#cancel()} stops generation at once by
 * closing the connection.
 */
public final class OpenAiCompatibleClient {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleClient.class);
  private static final Pattern SAFE_TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,60}");

  private final Vertx vertx;
  private final LlmOptions options;

  public OpenAiCompatibleClient(Vertx vertx, LlmOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** One streamed call in progress. */
  public final class Call {
    private final JsonObject body;
    private final Consumer<String> onContent;
    private final Promise<Completion> result = Promise.promise();
    private WebClient client;
    private SseParser parser;
    private long retryTimer = -1;
    private boolean cancelled;

    private Call(JsonObject body, Consumer<String> onContent) {
      this.body = body;
      this.onContent = onContent;
    }

    public Future<Completion> result() {
      return result.future();
    }

    /** Stops the call: the connection is closed and the result fails with the reason. */
    public void cancel(String reason) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      if (retryTimer >= 0) {
        vertx.cancelTimer(retryTimer);
      }
      if (parser != null) {
        parser.stop();
      }
      closeClient();
      result.tryFail(new CodvidException(FailureCode.UPSTREAM, reason));
    }

    private void closeClient() {
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }

  /**
   * Starts a streamed call. {@code request} is the Chat Completions body without {@code model}
   * and {@code stream} (added here); {@code onContent} receives the text deltas in order.
   */
  public Call stream(JsonObject request, Consumer<String> onContent) {
    JsonObject body = request.copy().put("model", options.model()).put("stream", true);
    if (options.temperature() != null && !body.containsKey("temperature")) {
      body.put("temperature", options.temperature());
    }
    Call call = new Call(body, onContent);
    attempt(call, 1);
    return call;
  }

  private void attempt(Call call, int attempt) {
    if (call.cancelled) {
      return;
    }
    Accumulator acc = new Accumulator(call.onContent);
    SseParser parser = new SseParser(acc::event);
    call.parser = parser;
    call.client = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("codvid-ai")
        .setConnectTimeout((int) Math.min(options.timeoutMillis(), Integer.MAX_VALUE))
        .setKeepAlive(false));
    var request = call.client.postAbs(options.baseUrl() + "/chat/completions")
        .putHeader("Accept", "text/event-stream")
        .idleTimeout(options.timeoutMillis())
        .as(BodyCodec.pipe(parser, false));
    if (options.apiKey() != null) {
      request.putHeader("Authorization", "Bearer " + options.apiKey());
    }
    request.sendJsonObject(call.body).onComplete(done -> {
      if (call.cancelled) {
        return;
      }
      call.closeClient();
      Outcome outcome = done.succeeded() ? outcome(done.result(), parser, acc) : transportFailure(done.cause());
      if (outcome.completion != null) {
        call.result.tryComplete(outcome.completion);
        return;
      }
      if (!outcome.retryable || acc.started || attempt >= options.maxAttempts()) {
        String message = acc.started ? "The language model stream broke off: " + outcome.reason
            : "The language model is unavailable: " + outcome.reason
                + (attempt > 1 ? " (after " + attempt + " attempts)" : "");
        call.result.tryFail(new CodvidException(FailureCode.UPSTREAM, message));
        return;
      }
      long delay = backoff(attempt, outcome.retryAfterMillis);
      LOG.warn("LLM call attempt {} failed ({}); retry in {} ms", attempt, outcome.reason, delay);
      call.retryTimer = vertx.setTimer(Math.max(1, delay), id -> {
        call.retryTimer = -1;
        attempt(call, attempt + 1);
      });
    });
  }

  private long backoff(int attempt, long retryAfterMillis) {
    if (retryAfterMillis >= 0) {
      return Math.min(retryAfterMillis, options.maxBackoffMillis());
    }
    long base = Math.min(options.maxBackoffMillis(), options.initialBackoffMillis() << Math.min(attempt - 1, 20));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  private record Outcome(Completion completion, boolean retryable, String reason, long retryAfterMillis) {
  }

  private static Outcome outcome(HttpResponse<Void> response, SseParser parser, Accumulator acc) {
    int status = response.statusCode();
    if (status == 200) {
      if (acc.error != null) {
        return new Outcome(null, false, acc.error, -1);
      }
      if (!acc.done && acc.finishReason == null) {
        return new Outcome(null, true, "the stream ended before it was complete", -1);
      }
      return new Outcome(acc.completion(), false, null, -1);
    }
    String reason = "HTTP " + status + errorType(parser.kept());
    boolean retryable = status == 429 || status >= 500;
    return new Outcome(null, retryable, reason, retryAfterMillis(response.getHeader("Retry-After")));
  }

  private static Outcome transportFailure(Throwable failure) {
    String text = String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT);
    String reason = failure instanceof java.util.concurrent.TimeoutException || text.contains("timeout") || text.contains("timed out")
        ? "no answer in time" : failure instanceof java.net.ConnectException ? "connection failed" : "connection closed";
    return new Outcome(null, true, reason, -1);
  }

  /** " rate_limit_exceeded" from an OpenAI-style error body, or "" (never the provider's message). */
  static String errorType(String body) {
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      Object type = error == null ? null : error.getValue("type");
      if (type == null && error != null) {
        type = error.getValue("code");
      }
      return type != null && SAFE_TYPE.matcher(type.toString()).matches() ? " " + type : "";
    } catch (DecodeException | ClassCastException e) {
      return "";
    }
  }

  private static long retryAfterMillis(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Math.max(0, Math.round(Double.parseDouble(header.trim()) * 1000));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Merges the chunks of one stream. */
  static final class Accumulator {
    private final Consumer<String> onContent;
    private final StringBuilder content = new StringBuilder();
    private final Map<Integer, String[]> toolCalls = new TreeMap<>();
    private String finishReason;
    private String error;
    private boolean done;
    private boolean started;

    Accumulator(Consumer<String> onContent) {
      this.onContent = onContent;
    }

    void event(String data) {
      if (done || error != null) {
        return;
      }
      if (data.strip().equals("[DONE]")) {
        done = true;
        return;
      }
      JsonObject chunk;
      try {
        chunk = new JsonObject(data);
      } catch (DecodeException e) {
        error = "the provider sent a malformed event";
        return;
      }
      if (chunk.getValue("error") != null) {
        Object error = chunk.getValue("error");
        this.error = "the provider reported an error" + (error instanceof JsonObject e ? errorType(new JsonObject().put("error", e).encode()) : "");
        return;
      }
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
        return;
      }
      if (choice.getString("finish_reason") != null) {
        finishReason = choice.getString("finish_reason");
      }
      JsonObject delta = choice.getJsonObject("delta");
      if (delta == null) {
        return;
      }
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object item : calls) {
          if (item instanceof JsonObject call) {
            merge(call);
          }
        }
      }
      if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
        started = true;
        content.append(text);
        onContent.accept(text);
      }
    }

    private void merge(JsonObject fragment) {
      started = true;
      int index = fragment.getInteger("index", toolCalls.size());
      String[] call = toolCalls.computeIfAbsent(index, i -> new String[] {null, "", ""});
      if (fragment.getString("id") != null && !fragment.getString("id").isEmpty()) {
        call[0] = fragment.getString("id");
      }
      JsonObject function = fragment.getJsonObject("function");
      if (function != null) {
        String name = function.getString("name");
        if (name != null && !name.isEmpty() && !call[1].equals(name)) {
          call[1] = call[1] + name;
        }
        String arguments = function.getString("arguments");
        if (arguments != null) {
          call[2] = call[2] + arguments;
        }
      }
    }

    Completion completion() {
      List<ToolCall> calls = new ArrayList<>();
      toolCalls.forEach((index, call) -> calls.add(new ToolCall(
          call[0] == null ? "call_" + index : call[0], call[1], call[2].isBlank() ? "{}" : call[2])));
      return new Completion(content.toString(), calls, finishReason);
    }
  }
}
