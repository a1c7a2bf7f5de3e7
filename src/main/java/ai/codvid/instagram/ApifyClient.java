package ai.codvid.instagram;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.instagram.InstagramSource.RetryListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Apify call, {@code POST /v2/acts/{actor}/run-sync-get-dataset-items}, with the rules of
 * UPSTREAM.md: a limit per attempt, retries with exponential backoff and jitter on 408, 429
 * (honouring {@code Retry-After}), 5xx, timeouts and connection errors, capped by attempts and
 * by total time; no retry on any other status. Each attempt holds a slot of the node's
 * {@link CallLimiter} while it is in flight (not while it waits to retry).
 */
final class ApifyClient {

  private static final Logger LOG = LoggerFactory.getLogger(ApifyClient.class);
  private static final int MAX_UPSTREAM_MESSAGE = 300;

  private final Vertx vertx;
  private final ApifyOptions options;
  private final WebClient client;
  private final CallLimiter limiter;

  ApifyClient(Vertx vertx, ApifyOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("codvid-ai")
        .setConnectTimeout((int) Math.min(options.timeoutMillis(), 30_000))
        .setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(options.maxConcurrency()));
    this.limiter = new CallLimiter(vertx, options.maxConcurrency(), options.maxQueued());
  }

  /** The dataset items of one synchronous run of {@code actor} ("owner~name") on {@code input}. */
  Future<JsonArray> run(String actor, JsonObject input, RetryListener listener) {
    Promise<JsonArray> result = Promise.promise();
    attempt(new Call(actor, input, listener == null ? RetryListener.NONE : listener, System.nanoTime()), 1, result);
    return result.future();
  }

  int inFlight() {
    return limiter.inFlight();
  }

  void close() {
    client.close();
  }

  private void attempt(Call call, int attempt, Promise<JsonArray> result) {
    limiter.run(() -> send(call))
        .onSuccess(result::complete)
        .onFailure(failure -> {
          if (!(failure instanceof Retryable retryable)) {
            result.fail(failure);
            return;
          }
          long delay = retryDelay(call, attempt, retryable);
          if (delay < 0) {
            result.fail(exhausted(attempt, retryable));
            return;
          }
          String reason = retryable.retryAfterMillis >= 0
              ? retryable.reason + " (Retry-After " + retryable.retryAfterMillis / 1000 + " s)"
              : retryable.reason;
          LOG.warn("Apify {} attempt {} failed ({}); retry in {} ms", call.actor, attempt, reason, delay);
          notify(call.listener, attempt + 1, delay, reason);
          vertx.setTimer(Math.max(1, delay), id -> attempt(call, attempt + 1, result));
        });
  }

  /** Milliseconds to wait before the next attempt, or -1 when attempts or time are used up. */
  private long retryDelay(Call call, int attempt, Retryable failure) {
    if (attempt >= options.maxAttempts()) {
      return -1;
    }
    long elapsed = (System.nanoTime() - call.startedNanos) / 1_000_000;
    long remaining = options.maxRetrySeconds() * 1000L - elapsed;
    if (remaining <= 0) {
      return -1;
    }
    long delay;
    if (failure.retryAfterMillis >= 0) {
      delay = failure.retryAfterMillis;
    } else {
      long base = Math.min(options.maxBackoffMillis(),
          options.initialBackoffMillis() << Math.min(attempt - 1, 30));
      delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
    return Math.min(delay, remaining);
  }

  private CodvidException exhausted(int attempts, Retryable last) {
    if (last.timeout) {
      return new CodvidException(FailureCode.UPSTREAM_TIMEOUT, "Apify did not answer within "
          + options.timeoutSeconds() + " s (" + attempts + (attempts == 1 ? " attempt)" : " attempts)"));
    }
    return new CodvidException(FailureCode.UPSTREAM,
        "Apify failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + last.reason);
  }

  private Future<JsonArray> send(Call call) {
    Promise<JsonArray> attempt = Promise.promise();
    long deadline = vertx.setTimer(options.timeoutMillis(),
        id -> attempt.tryFail(new Retryable("timeout", -1, true)));
    client.postAbs(options.baseUrl() + "/v2/acts/" + call.actor + "/run-sync-get-dataset-items")
        .addQueryParam("timeout", Integer.toString(options.timeoutSeconds()))
        .addQueryParam("clean", "1")
        .putHeader("Authorization", "Bearer " + options.token())
        .putHeader("Accept", "application/json")
        .idleTimeout(options.timeoutMillis())
        .sendJsonObject(call.input)
        .onComplete(done -> {
          vertx.cancelTimer(deadline);
          if (done.succeeded()) {
            try {
              attempt.tryComplete(items(done.result()));
            } catch (RuntimeException e) {
              attempt.tryFail(e);
            }
          } else {
            attempt.tryFail(transportFailure(done.cause()));
          }
        });
    return attempt.future();
  }

  private JsonArray items(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 200 || status == 201) {
      return parseItems(response.body());
    }
    if (status == 408 || status == 429 || status >= 500) {
      return failRetryable(status, response.getHeader("Retry-After"));
    }
    String upstream = upstreamMessage(response.body());
    throw switch (status) {
      case 400 -> new CodvidException(FailureCode.UPSTREAM, "Apify rejected the input (HTTP 400)" + upstream);
      case 401 -> new CodvidException(FailureCode.UPSTREAM,
          "Apify rejected the token (HTTP 401): check CODVID_APIFY_TOKEN");
      case 402 -> new CodvidException(FailureCode.UPSTREAM, "Apify usage limit reached (HTTP 402)" + upstream);
      case 403 -> new CodvidException(FailureCode.UPSTREAM,
          "Apify refused access (HTTP 403): check CODVID_APIFY_TOKEN and its permissions");
      case 404 -> new CodvidException(FailureCode.UPSTREAM, "Apify could not find the actor (HTTP 404)" + upstream);
      default -> new CodvidException(FailureCode.UPSTREAM, "Apify answered HTTP " + status + upstream);
    };
  }

  private JsonArray failRetryable(int status, String retryAfterHeader) {
    long retryAfter = status == 429 || status == 503 ? retryAfterMillis(retryAfterHeader) : -1;
    throw new Retryable("HTTP " + status, retryAfter, false);
  }

  private JsonArray parseItems(Buffer body) {
    Object parsed;
    try {
      parsed = body == null ? null : Json.decodeValue(body);
    } catch (DecodeException e) {
      parsed = null;
    }
    if (!(parsed instanceof JsonArray array)) {
      LOG.warn("Apify returned an unreadable response ({} bytes)", body == null ? 0 : body.length());
      throw new CodvidException(FailureCode.UPSTREAM, "Apify returned an unreadable response");
    }
    return array;
  }

  private String upstreamMessage(Buffer body) {
    String message = null;
    try {
      if (body != null && Json.decodeValue(body) instanceof JsonObject json && json.getValue("error") instanceof JsonObject error) {
        message = error.getString("message");
      }
    } catch (RuntimeException ignored) {
      message = null;
    }
    if (message == null || message.isBlank()) {
      return "";
    }
    String clean = redact(message.replaceAll("\\s+", " ").strip());
    return ": " + (clean.length() > MAX_UPSTREAM_MESSAGE ? clean.substring(0, MAX_UPSTREAM_MESSAGE) + "…" : clean);
  }

  private String redact(String text) {
    return options.token() == null ? text : text.replace(options.token(), "***");
  }

  private static Retryable transportFailure(Throwable cause) {
    if (cause instanceof Retryable r) {
      return r;
    }
    if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException
        || String.valueOf(cause.getMessage()).toLowerCase().contains("timeout")) {
      return new Retryable("timeout", -1, true);
    }
    if (cause instanceof ConnectException) {
      boolean refused = String.valueOf(cause.getMessage()).toLowerCase().contains("refused");
      return new Retryable(refused ? "connection refused" : "connection failed", -1, false);
    }
    String simple = cause.getClass().getSimpleName();
    return new Retryable("connection error (" + simple + ")", -1, false);
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date, in milliseconds; -1 when absent or unreadable. */
  static long retryAfterMillis(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String value = header.strip();
    try {
      return Math.max(0, Long.parseLong(value)) * 1000;
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - System.currentTimeMillis());
      } catch (RuntimeException notDate) {
        return -1;
      }
    }
  }

  private static void notify(RetryListener listener, int attempt, long delay, String reason) {
    try {
      listener.retrying(attempt, delay, reason);
    } catch (RuntimeException e) {
      LOG.warn("Retry listener failed", e);
    }
  }

  private record Call(String actor, JsonObject input, RetryListener listener, long startedNanos) {
  }

  /** A failure worth another attempt; never leaves this class. */
  private static final class Retryable extends RuntimeException {
    final String reason;
    final long retryAfterMillis;
    final boolean timeout;

    Retryable(String reason, long retryAfterMillis, boolean timeout) {
      super(reason, null, false, false);
      this.reason = reason;
      this.retryAfterMillis = retryAfterMillis;
      this.timeout = timeout;
    }
  }
}
