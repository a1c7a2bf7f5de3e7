package ai.codvid.alerts;

import ai.codvid.CodvidException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * One HTTP attempt of a webhook: the URL's host is resolved here, every address it resolves to is
 * checked against {@link AddressPolicy}, and the connection goes to the checked address (the
 * {@code Host} header and TLS SNI and certificate check keep the URL's name), so a DNS answer
 * that changes between the check and the connection (rebinding) cannot redirect it. Redirects are
 * not followed; the connection and the answer each have a timeout; at most
 * {@link AlertOptions#MAX_RESPONSE_BYTES} of the answer are read.
 */
public final class WebhookSender {

  /** Resolves a host name to its addresses (the system resolver; tests give their own). */
  public interface Resolver {
    Future<List<InetAddress>> resolve(String host);
  }

  /** How an attempt ended. */
  public enum Kind {
    /** 2xx. */
    DELIVERED,
    /** 410 Gone: the receiver wants no more deliveries; the rule's webhook is switched off. */
    GONE,
    /** Any other status (3xx included: redirects are not followed). */
    HTTP_ERROR,
    TIMEOUT,
    CONNECTION,
    /** Not sent: the host did not resolve, or resolved to an address the policy refuses. */
    REFUSED
  }

  /** The result of one attempt. {@code retryAfterMillis} is the receiver's Retry-After (429/503), else -1. */
  public record Outcome(Kind kind, Integer statusCode, String error, long durationMillis, long retryAfterMillis,
      String responseExcerpt) {

    public boolean delivered() {
      return kind == Kind.DELIVERED;
    }

    /** The attempt as recorded with the alert. */
    public JsonObject toJson(int attempt, long atMillis) {
      return new JsonObject()
          .put("attempt", attempt)
          .put("at", atMillis / 1000)
          .put("outcome", kind.name().toLowerCase(Locale.ROOT))
          .put("status_code", statusCode)
          .put("error", error)
          .put("duration_ms", durationMillis)
          .put("response_excerpt", responseExcerpt);
    }
  }

  private static final int EXCERPT = 200;

  private final Vertx vertx;
  private final AlertOptions options;
  private final Resolver resolver;
  private final HttpClient client;

  public WebhookSender(Vertx vertx, AlertOptions options) {
    this(vertx, options, systemResolver(vertx), null);
  }

  /** With another resolver and TLS trust (tests: names of their own, a self-signed receiver). */
  public WebhookSender(Vertx vertx, AlertOptions options, Resolver resolver, ClientSSLOptions ssl) {
    this.vertx = vertx;
    this.options = options;
    this.resolver = resolver;
    HttpClientOptions client = new HttpClientOptions()
        .setKeepAlive(false)
        .setVerifyHost(true)
        .setMaxRedirects(1)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis()))
        .setSslHandshakeTimeout(options.connectTimeoutMillis())
        .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    if (ssl != null) {
      client.setTrustOptions(ssl.getTrustOptions());
    }
    this.client = vertx.createHttpClient(client, new PoolOptions().setHttp1MaxSize(Math.max(1, options.concurrency())));
  }

  /** Resolves with the JVM's resolver (the operating system's), off the event loop. */
  static Resolver systemResolver(Vertx vertx) {
    return host -> vertx.executeBlocking(() -> Arrays.asList(InetAddress.getAllByName(host)), false);
  }

  /**
   * Checks a URL a user gives: its form ({@link WebhookUrl#parse}), then that its host resolves
   * and only to allowed addresses. Fails with a 400 that says why.
   */
  public Future<WebhookUrl> check(String url) {
    WebhookUrl parsed = WebhookUrl.parse(url);
    return allowedAddress(parsed).recover(e -> Future.failedFuture(CodvidException.badRequest(
        "webhook_url is refused: " + e.getMessage()))).map(parsed);
  }

  /** The first address of the host, when every address it resolves to is allowed. */
  private Future<InetAddress> allowedAddress(WebhookUrl url) {
    return resolver.resolve(url.host())
        .recover(e -> Future.failedFuture(new Refused(e instanceof UnknownHostException
            ? "its host " + url.host() + " does not resolve" : "its host could not be resolved")))
        .compose(addresses -> {
          if (addresses.isEmpty()) {
            return Future.failedFuture(new Refused("its host " + url.host() + " does not resolve"));
          }
          for (InetAddress address : addresses) {
            String refusal = AddressPolicy.refusal(address, options.allowPrivateWebhooks());
            if (refusal != null) {
              return Future.failedFuture(new Refused("its host resolves to " + refusal
                  + (options.allowPrivateWebhooks() ? "" : " (private webhooks are off: CODVID_ALERTS_ALLOW_PRIVATE_WEBHOOKS)")));
            }
          }
          return Future.succeededFuture(addresses.get(0));
        });
  }

  /** A refusal by the address policy; its message completes "webhook_url is refused: …". */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * One signed POST of {@code body}. Never fails: every ending is an {@link Outcome}.
   *
   * @param event {@code alert} or {@code test} (X-Codvid-Event)
   * @param deliveryId the same on every attempt of one alert (X-Codvid-Delivery)
   */
  public Future<Outcome> send(String url, String secret, String event, String deliveryId, String body) {
    long started = System.currentTimeMillis();
    WebhookUrl parsed;
    try {
      parsed = WebhookUrl.parse(url);
    } catch (CodvidException e) {
      return Future.succeededFuture(new Outcome(Kind.REFUSED, null, e.getMessage(), 0, -1, null));
    }
    return allowedAddress(parsed)
        .compose(address -> post(parsed, address, secret, event, deliveryId, body, started))
        .recover(e -> Future.succeededFuture(new Outcome(e instanceof Refused ? Kind.REFUSED : Kind.CONNECTION, null,
            e instanceof Refused ? "Not sent: " + e.getMessage() : describe(e), System.currentTimeMillis() - started, -1, null)));
  }

  private Future<Outcome> post(WebhookUrl url, InetAddress address, String secret, String event, String deliveryId,
      String body, long started) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    boolean defaultPort = url.port() == (url.https() ? 443 : 80);
    String hostHeader = (url.ipv6Literal() ? "[" + url.host() + "]" : url.host()) + (defaultPort ? "" : ":" + url.port());
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(url.port(), address.getHostAddress()))
        .setHost(url.host())
        .setPort(url.port())
        .setSsl(url.https())
        .setURI(url.requestUri())
        .setFollowRedirects(false)
        .setConnectTimeout(options.connectTimeoutMillis())
        .setIdleTimeout(options.responseTimeoutMillis())
        .putHeader("Host", hostHeader)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("User-Agent", "codvid-ai-webhooks/1")
        .putHeader("X-Codvid-Event", event)
        .putHeader("X-Codvid-Delivery", deliveryId)
        .putHeader("X-Codvid-Timestamp", timestamp)
        .putHeader("X-Codvid-Signature", Signature.header(secret, timestamp, body));
    Promise<Outcome> outcome = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long deadline = vertx.setTimer(options.connectTimeoutMillis() + options.responseTimeoutMillis(), id -> {
      if (outcome.tryFail(new TimeoutException("no complete answer within "
          + (options.connectTimeoutMillis() + options.responseTimeoutMillis()) + " ms")) && sent[0] != null) {
        sent[0].reset();
      }
    });
    client.request(request)
        .compose(req -> {
          sent[0] = req;
          return req.send(Buffer.buffer(body));
        })
        .onSuccess(response -> read(response, outcome, started))
        .onFailure(outcome::tryFail);
    return outcome.future()
        .recover(e -> Future.succeededFuture(failure(e, started)))
        .onComplete(done -> vertx.cancelTimer(deadline));
  }

  /** Reads at most {@link AlertOptions#MAX_RESPONSE_BYTES} of the answer, then decides by its status. */
  private void read(HttpClientResponse response, Promise<Outcome> outcome, long started) {
    int status = response.statusCode();
    Buffer kept = Buffer.buffer();
    AtomicBoolean done = new AtomicBoolean();
    Runnable finish = () -> {
      if (done.compareAndSet(false, true)) {
        outcome.tryComplete(byStatus(status, response.getHeader("Retry-After"), excerpt(kept), System.currentTimeMillis() - started));
      }
    };
    response.handler(chunk -> {
      if (done.get()) {
        return;
      }
      int room = AlertOptions.MAX_RESPONSE_BYTES - kept.length();
      kept.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, Math.max(0, room)));
      if (kept.length() >= AlertOptions.MAX_RESPONSE_BYTES) {
        finish.run();
        response.request().connection().close();
      }
    });
    response.endHandler(v -> finish.run());
    response.exceptionHandler(e -> finish.run());
  }

  static Outcome byStatus(int status, String retryAfter, String excerpt, long millis) {
    if (status >= 200 && status < 300) {
      return new Outcome(Kind.DELIVERED, status, null, millis, -1, excerpt);
    }
    if (status == 410) {
      return new Outcome(Kind.GONE, status, "The receiver answered 410 Gone: the rule's webhook is switched off", millis, -1, excerpt);
    }
    String error = status >= 300 && status < 400 ? "The receiver answered a redirect (" + status + "), which is not followed"
        : "The receiver answered HTTP " + status;
    long wait = status == 429 || status == 503 ? retryAfterMillis(retryAfter) : -1;
    return new Outcome(Kind.HTTP_ERROR, status, error, millis, wait, excerpt);
  }

  private static Outcome failure(Throwable e, long started) {
    long millis = System.currentTimeMillis() - started;
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof TimeoutException || e instanceof io.netty.handler.timeout.TimeoutException
        || message.contains("timeout") || message.contains("timed out")) {
      return new Outcome(Kind.TIMEOUT, null, "No answer in time (" + describe(e) + ")", millis, -1, null);
    }
    return new Outcome(Kind.CONNECTION, null, describe(e), millis, -1, null);
  }

  private static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused") ? "Connection refused" : "Connection failed";
    }
    if (e instanceof SSLException || e.getCause() instanceof SSLException) {
      return "TLS handshake failed";
    }
    if (e instanceof TimeoutException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return "Connection error (" + e.getClass().getSimpleName()
        + (message == null ? "" : ": " + clip(message.replaceAll("\\s+", " "), 120)) + ")";
  }

  private static String excerpt(Buffer body) {
    if (body.length() == 0) {
      return null;
    }
    String text = body.getString(0, Math.min(body.length(), EXCERPT * 4)).replaceAll("\\p{Cntrl}", " ").strip();
    return text.isEmpty() ? null : clip(text, EXCERPT);
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  /** Retry-After as seconds (an HTTP date is ignored); -1 when absent. */
  static long retryAfterMillis(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(header.strip())) * 1000;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public Future<Void> close() {
    return client.close();
  }
}
