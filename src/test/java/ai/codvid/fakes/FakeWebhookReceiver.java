package ai.codvid.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a real loopback port, as a customer would run one: it keeps every
 * request (method, path, headers, raw body, when, the TLS server name asked for) and answers 200
 * unless told otherwise.
 *
 * <h2>Behaviours</h2>
 * {@link #answerNext(int, int)} (the next n requests answer a status; queued in order),
 * {@link #holdNext(int)} (the next n requests are never answered: the connection stays open),
 * {@link #redirectTo(String)} (every request answers 302 to that URL), {@link #hugeAnswer(boolean)}
 * (200 with an endless chunked body), {@link #retryAfter(int)} (Retry-After on non-2xx answers).
 */
public final class FakeWebhookReceiver {

  /** One request as received. */
  public record Received(String method, String path, JsonObject headers, String body, long atMillis, String serverName) {
    public String header(String name) {
      return headers.getString(name.toLowerCase());
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final boolean tls;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<int[]> statuses = new ArrayDeque<>();
  private final AtomicInteger hold = new AtomicInteger();
  private final AtomicInteger bytesSent = new AtomicInteger();
  private volatile String redirect;
  private volatile boolean huge;
  private volatile int retryAfter = -1;

  private FakeWebhookReceiver(Vertx vertx, HttpServer server, boolean tls) {
    this.vertx = vertx;
    this.server = server;
    this.tls = tls;
  }

  /** Starts on 127.0.0.1, on a free port. */
  public static Future<FakeWebhookReceiver> start(Vertx vertx) {
    return start(vertx, new HttpServerOptions());
  }

  /** Starts with these server options (TLS, SNI …) on 127.0.0.1, on a free port. */
  public static Future<FakeWebhookReceiver> start(Vertx vertx, HttpServerOptions options) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1").setPort(0));
    FakeWebhookReceiver receiver = new FakeWebhookReceiver(vertx, server, options.isSsl());
    server.requestHandler(receiver::handle);
    return server.listen().map(receiver);
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port() + path;
  }

  public Future<Void> close() {
    return server.close();
  }

  // ---- behaviours ----

  public synchronized FakeWebhookReceiver answerNext(int status, int times) {
    statuses.addLast(new int[] {status, times});
    return this;
  }

  public FakeWebhookReceiver holdNext(int times) {
    hold.set(times);
    return this;
  }

  public FakeWebhookReceiver redirectTo(String url) {
    redirect = url;
    return this;
  }

  public FakeWebhookReceiver hugeAnswer(boolean on) {
    huge = on;
    return this;
  }

  public FakeWebhookReceiver retryAfter(int seconds) {
    retryAfter = seconds;
    return this;
  }

  /** Back to answering 200 to everything; what it saw is forgotten. */
  public synchronized FakeWebhookReceiver reset() {
    received.clear();
    statuses.clear();
    hold.set(0);
    redirect = null;
    huge = false;
    retryAfter = -1;
    return this;
  }

  // ---- what it saw ----

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Requests whose X-Codvid-Event is {@code event}. */
  public List<Received> received(String event) {
    return received.stream().filter(r -> event.equals(r.header("X-Codvid-Event"))).toList();
  }

  /** Bytes of the endless answer written so far. */
  public int bytesSent() {
    return bytesSent.get();
  }

  private synchronized int nextStatus() {
    int[] head = statuses.peekFirst();
    if (head == null) {
      return 200;
    }
    if (--head[1] <= 0) {
      statuses.pollFirst();
    }
    return head[0];
  }

  private void handle(HttpServerRequest request) {
    String serverName = request.connection().indicatedServerName();
    request.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      received.add(new Received(request.method().name(), request.uri(), headers, body.toString(), System.currentTimeMillis(),
          serverName));
      if (hold.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        return;
      }
      if (redirect != null) {
        request.response().setStatusCode(302).putHeader("Location", redirect).end();
        return;
      }
      if (huge) {
        streamForever(request);
        return;
      }
      int status = nextStatus();
      if (status >= 300 && retryAfter >= 0) {
        request.response().putHeader("Retry-After", Integer.toString(retryAfter));
      }
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("received", true).put("status", status).encode());
    });
  }

  private void streamForever(HttpServerRequest request) {
    var response = request.response().setChunked(true).setStatusCode(200);
    Buffer chunk = Buffer.buffer(new byte[16 * 1024]);
    long timer = vertx.setPeriodic(1, id -> {
      while (!response.closed() && !response.writeQueueFull()) {
        response.write(chunk);
        bytesSent.addAndGet(chunk.length());
      }
    });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }
}
