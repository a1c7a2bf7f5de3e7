package ai.codvid.http;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.alerts.AlertFeed;
import ai.codvid.auth.SessionGuard;
import ai.codvid.tracking.TrackingService;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live progress: a WebSocket per task ({@code /ig-tracking/ws/task_status/<id>}), a multiplexed
 * WebSocket ({@code /ws}, subscribe/unsubscribe by JSON message) and Server-Sent Events
 * ({@code /ig-tracking/events/<id>}). The token comes in the {@code Authorization} header or, for
 * browsers, as {@code ?token=}. Only the task's owner may follow it; others get 404 before any
 * upgrade. Idle sockets are pinged; a subscriber that cannot keep up is closed rather than
 * buffered without bound; a node shutting down closes its sockets with 1001. Deleting an account
 * closes its sockets (1008) and ends its streams on every node ({@link Addresses#USERS_DELETED}).
 * A multiplexed socket holds at most {@value #MAX_SUBSCRIPTIONS} subscriptions, those still
 * being opened included.
 *
 * <p>Alerts: every multiplexed socket of a user also receives the user's fired alerts
 * ({@code {"type": "alert", ...}}, from whichever node evaluated them), as does the SSE stream
 * {@code /alerts/events} ({@code event: alert}).
 */
final class ProgressRoutes {

  static final short GOING_AWAY = 1001;
  static final short POLICY_VIOLATION = 1008;
  static final short TRY_AGAIN_LATER = 1013;
  private static final int MAX_SUBSCRIPTIONS = 50;
  private static final Set<String> WEBSOCKET_VERSIONS = Set.of("13", "8", "7");

  private final Vertx vertx;
  private final SessionGuard sessions;
  private final TrackingService tracking;
  private final long pingMillis;
  private final Set<Runnable> closers = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<Runnable>> byUser = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> deletions;
  private final AlertFeed alerts;

  ProgressRoutes(Vertx vertx, SessionGuard sessions, TrackingService tracking, long pingMillis) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.tracking = tracking;
    this.pingMillis = pingMillis;
    this.alerts = new AlertFeed(vertx);
    this.deletions = vertx.eventBus().consumer(Addresses.USERS_DELETED, message -> {
      Object userId = message.body() == null ? null : message.body().getValue("user_id");
      Set<Runnable> live = userId instanceof String id ? byUser.remove(id) : null;
      if (live != null) {
        live.forEach(Runnable::run);
      }
    });
  }

  /** Registration of the account-deletion listener (cluster-wide when clustered). */
  Future<Void> ready() {
    return deletions.completion();
  }

  /** Mounted before the body handler, so upgrades and streams are not read as bodies. */
  void mount(Router router) {
    router.get(Api.path("/ig-tracking/ws/task_status/:id")).handler(this::taskSocket);
    router.get(Api.path("/ws")).handler(this::multiplexedSocket);
    router.get(Api.path("/ig-tracking/events/:id")).handler(this::eventStream);
    router.get(Api.path("/alerts/events")).handler(this::alertStream);
  }

  /** Closes every open socket and stream of this verticle (1001 going away). */
  void closeAll() {
    deletions.unregister();
    closers.forEach(Runnable::run);
    closers.clear();
  }

  /** Remembers how to end one of the user's live sockets or streams; answers how to forget it. */
  private Runnable ownedBy(String userId, Runnable end) {
    byUser.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(end);
    return () -> byUser.computeIfPresent(userId, (id, live) -> {
      live.remove(end);
      return live.isEmpty() ? null : live;
    });
  }

  private static Runnable closing(ServerWebSocket ws) {
    return () -> {
      if (!ws.isClosed()) {
        ws.close(POLICY_VIOLATION, "Account deleted");
      }
    };
  }

  private Future<String> authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String query = ctx.queryParams().get("token");
    return header != null ? sessions.authenticate(header) : sessions.authenticateToken(query);
  }

  /** The task of the path, with the user who follows it (its owner). */
  private record Followed(String userId, TrackingTasks.Located task) {
  }

  private Future<Followed> followedTask(RoutingContext ctx) {
    return authenticate(ctx).compose(userId -> ownedTask(userId, ctx.pathParam("id")).map(task -> new Followed(userId, task)));
  }

  private Future<TrackingTasks.Located> ownedTask(String userId, String taskId) {
    if (!TrackingRoutes.isTaskId(taskId)) {
      return Future.failedFuture(CodvidException.notFound(TrackingTasks.NOT_FOUND));
    }
    return tracking.tasks().locate(userId, taskId);
  }

  private static boolean isUpgrade(RoutingContext ctx) {
    String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  /**
   * Checks what the WebSocket handshake itself checks, so that a request it would refuse with a
   * bare text answer gets the envelope instead: an {@code Upgrade: websocket} request whose
   * {@code Connection} names upgrade, with a {@code Sec-WebSocket-Key} (else 400) and a supported
   * {@code Sec-WebSocket-Version} (else 426 naming version 13). Fails the context and answers
   * false when the handshake cannot succeed.
   */
  private static boolean acceptsHandshake(RoutingContext ctx) {
    if (!isUpgrade(ctx)) {
      ctx.fail(CodvidException.badRequest("WebSocket upgrade required"));
      return false;
    }
    String connection = ctx.request().getHeader(HttpHeaders.CONNECTION);
    String key = ctx.request().getHeader("Sec-WebSocket-Key");
    if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade") || key == null || key.isBlank()) {
      ctx.fail(CodvidException.badRequest("Invalid WebSocket handshake: Connection: Upgrade and Sec-WebSocket-Key are required"));
      return false;
    }
    if (!WEBSOCKET_VERSIONS.contains(String.valueOf(ctx.request().getHeader("Sec-WebSocket-Version")).trim())) {
      ctx.response().putHeader("Sec-WebSocket-Version", "13");
      ctx.fail(new HttpException(426, "Unsupported WebSocket version: use 13"));
      return false;
    }
    return true;
  }

  // ---- one task per socket ----

  private void taskSocket(RoutingContext ctx) {
    if (!acceptsHandshake(ctx)) {
      return;
    }
    ctx.request().pause(); // the upgrade must find the request unread after the asynchronous checks
    followedTask(ctx)
        .compose(followed -> ctx.request().toWebSocket().compose(ws -> {
          Runnable close = keepAlive(ws);
          Runnable forget = ownedBy(followed.userId(), closing(ws));
          ProgressSubscription[] follows = new ProgressSubscription[1];
          ws.closeHandler(v -> {
            close.run();
            forget.run();
            if (follows[0] != null) {
              follows[0].close();
            }
          });
          return ProgressSubscription.open(vertx, tracking, followed.task(), message -> write(ws, message),
                  () -> ws.close((short) 1000, "Run ended"))
              .onSuccess(subscription -> {
                follows[0] = subscription;
                if (ws.isClosed()) {
                  subscription.close();
                }
              })
              .onFailure(e -> ws.close(GOING_AWAY, "Could not follow the task"));
        }))
        .onFailure(failure -> {
          if (!ctx.response().headWritten()) {
            ctx.fail(failure);
          }
        });
  }

  // ---- several tasks on one socket ----

  private void multiplexedSocket(RoutingContext ctx) {
    if (!acceptsHandshake(ctx)) {
      return;
    }
    ctx.request().pause();
    authenticate(ctx).compose(userId -> ctx.request().toWebSocket().map(ws -> {
      Runnable close = keepAlive(ws);
      Runnable forget = ownedBy(userId, closing(ws));
      Map<String, Future<ProgressSubscription>> subscriptions = new HashMap<>();
      Runnable[] unfollow = new Runnable[1];
      ws.textMessageHandler(text -> onCommand(ws, userId, subscriptions, text));
      ws.closeHandler(v -> {
        subscriptions.values().forEach(opening -> opening.onSuccess(ProgressSubscription::close));
        subscriptions.clear();
        close.run();
        forget.run();
        if (unfollow[0] != null) {
          unfollow[0].run();
        }
      });
      alerts.follow(userId, alert -> write(ws, alert)).onComplete(followed -> {
        if (followed.succeeded()) {
          if (ws.isClosed()) {
            followed.result().run();
          } else {
            unfollow[0] = followed.result();
          }
        }
        write(ws, new JsonObject().put("type", "ready").put("message",
            "Send {\"action\": \"subscribe\" | \"unsubscribe\", \"task_id\": \"...\"}"));
      });
      return ws;
    })).onFailure(failure -> {
      if (!ctx.response().headWritten()) {
        ctx.fail(failure);
      }
    });
  }

  /**
   * One subscribe or unsubscribe. A subscription counts against the cap from the moment it is
   * asked for, so subscribes sent without waiting for answers cannot exceed it.
   */
  private void onCommand(ServerWebSocket ws, String userId, Map<String, Future<ProgressSubscription>> subscriptions, String text) {
    JsonObject command;
    try {
      command = text.length() > 4096 ? null : new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      command = null;
    }
    String action = command == null ? null : command.getValue("action") instanceof String a ? a : null;
    String taskId = command == null ? null : command.getValue("task_id") instanceof String t ? t : null;
    if (action == null || taskId == null || !(action.equals("subscribe") || action.equals("unsubscribe"))) {
      write(ws, error(taskId, "Expected {\"action\": \"subscribe\" | \"unsubscribe\", \"task_id\": \"...\"}"));
      return;
    }
    if (action.equals("unsubscribe")) {
      Future<ProgressSubscription> old = subscriptions.remove(taskId);
      if (old != null) {
        old.onSuccess(ProgressSubscription::close);
      }
      write(ws, new JsonObject().put("type", "unsubscribed").put("task_id", taskId));
      return;
    }
    if (subscriptions.containsKey(taskId)) {
      write(ws, error(taskId, "Already subscribed"));
      return;
    }
    if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      write(ws, error(taskId, "At most " + MAX_SUBSCRIPTIONS + " subscriptions per socket"));
      return;
    }
    Future<ProgressSubscription> opening = ownedTask(userId, taskId)
        .compose(task -> ProgressSubscription.open(vertx, tracking, task, message -> write(ws, message), () -> { }));
    subscriptions.put(taskId, opening);
    opening.onComplete(opened -> {
      boolean wanted = subscriptions.get(taskId) == opening && !ws.isClosed();
      if (opened.failed()) {
        if (wanted) {
          subscriptions.remove(taskId);
        }
        Throwable e = opened.cause();
        write(ws, error(taskId, e instanceof CodvidException ? e.getMessage() : "Could not subscribe"));
      } else if (!wanted) {
        opened.result().close();
      }
    });
  }

  private static JsonObject error(String taskId, String message) {
    return new JsonObject().put("type", "error").put("task_id", taskId).put("message", message);
  }

  // ---- Server-Sent Events ----

  private void eventStream(RoutingContext ctx) {
    followedTask(ctx)
        .onSuccess(followed -> {
          EventStream stream = new EventStream(ctx, followed.userId(), "codvid progress stream");
          ProgressSubscription.Sink sink = message -> stream.send(
              message.getValue("seq") == null ? null : message.getValue("run_id") + ":" + message.getValue("seq"),
              message.getString("type"), message);
          ProgressSubscription.open(vertx, tracking, followed.task(), sink, stream::end)
              .onSuccess(subscription -> stream.onEnd(subscription::close))
              .onFailure(e -> stream.end());
        })
        .onFailure(ctx::fail);
  }

  /** {@code event: ready} once the stream follows the user's alerts, then {@code event: alert} per alert (id: its alert_id). */
  private void alertStream(RoutingContext ctx) {
    authenticate(ctx)
        .onSuccess(userId -> {
          EventStream stream = new EventStream(ctx, userId, "codvid alert stream");
          alerts.follow(userId, alert -> stream.send(alert.getString("alert_id"), "alert", alert))
              .onSuccess(unfollow -> {
                stream.onEnd(unfollow);
                stream.send(null, "ready", new JsonObject().put("type", "ready"));
              })
              .onFailure(e -> stream.end());
        })
        .onFailure(ctx::fail);
  }

  /**
   * An open {@code text/event-stream} of one user: comment pings every ping interval; ended when
   * the client goes, the node shuts down, the account is deleted or the client cannot keep up.
   */
  private final class EventStream {

    private final HttpServerResponse response;
    private final long ping;
    private final Runnable forget;
    private final Runnable closer = this::end;
    private final List<Runnable> onEnd = new ArrayList<>();
    private boolean ended;

    EventStream(RoutingContext ctx, String userId, String comment) {
      response = ctx.response()
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      response.write(": " + comment + "\n\n");
      ping = vertx.setPeriodic(pingMillis, id -> {
        if (open()) {
          response.write(": ping\n\n");
        }
      });
      forget = ownedBy(userId, closer);
      closers.add(closer);
      response.closeHandler(v -> end());
    }

    private boolean open() {
      return !response.ended() && !response.closed();
    }

    /** Writes one event (with an {@code id:} line when id is not null); false when the stream is gone or ended for being slow. */
    boolean send(String id, String event, JsonObject data) {
      if (!open()) {
        return false;
      }
      if (response.writeQueueFull()) {
        end();
        return false;
      }
      response.write((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data.encode() + "\n\n");
      return true;
    }

    /** Runs {@code action} when the stream ends (at once when it has). */
    void onEnd(Runnable action) {
      if (ended) {
        action.run();
      } else {
        onEnd.add(action);
      }
    }

    void end() {
      if (ended) {
        return;
      }
      ended = true;
      vertx.cancelTimer(ping);
      closers.remove(closer);
      forget.run();
      onEnd.forEach(Runnable::run);
      onEnd.clear();
      if (open()) {
        response.end();
      }
    }
  }

  // ---- socket plumbing ----

  /** Pings the socket periodically and registers it for shutdown; answers its cleanup. */
  private Runnable keepAlive(ServerWebSocket ws) {
    long[] lastPong = {System.currentTimeMillis()};
    ws.pongHandler(pong -> lastPong[0] = System.currentTimeMillis());
    long timer = vertx.setPeriodic(pingMillis, id -> {
      if (ws.isClosed()) {
        return;
      }
      if (System.currentTimeMillis() - lastPong[0] > 3 * pingMillis) {
        ws.close(GOING_AWAY, "No pong");
      } else {
        ws.writePing(Buffer.buffer("ping"));
      }
    });
    Runnable shutdown = () -> {
      if (!ws.isClosed()) {
        ws.close(GOING_AWAY, "Server shutting down");
      }
    };
    closers.add(shutdown);
    return () -> {
      vertx.cancelTimer(timer);
      closers.remove(shutdown);
    };
  }

  /** Writes a message, or closes a subscriber too slow to drain its queue. */
  static boolean write(ServerWebSocket ws, JsonObject message) {
    if (ws.isClosed()) {
      return false;
    }
    if (ws.writeQueueFull()) {
      ws.close(TRY_AGAIN_LATER, "Slow consumer");
      return false;
    }
    ws.writeTextMessage(message.encode());
    return true;
  }
}
