package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.auth.SessionGuard;
import ai.codvid.tracking.TrackingService;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.HashMap;
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
 * buffered without bound; a node shutting down closes its sockets with 1001.
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

  ProgressRoutes(Vertx vertx, SessionGuard sessions, TrackingService tracking, long pingMillis) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.tracking = tracking;
    this.pingMillis = pingMillis;
  }

  /** Mounted before the body handler, so upgrades and streams are not read as bodies. */
  void mount(Router router) {
    router.get(Api.path("/ig-tracking/ws/task_status/:id")).handler(this::taskSocket);
    router.get(Api.path("/ws")).handler(this::multiplexedSocket);
    router.get(Api.path("/ig-tracking/events/:id")).handler(this::eventStream);
  }

  /** Closes every open socket and stream of this verticle (1001 going away). */
  void closeAll() {
    closers.forEach(Runnable::run);
    closers.clear();
  }

  private Future<String> authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String query = ctx.queryParams().get("token");
    return header != null ? sessions.authenticate(header) : sessions.authenticateToken(query);
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
    authenticate(ctx)
        .compose(userId -> ownedTask(userId, ctx.pathParam("id")))
        .compose(task -> ctx.request().toWebSocket().compose(ws -> {
          Runnable close = keepAlive(ws);
          ProgressSubscription[] follows = new ProgressSubscription[1];
          ws.closeHandler(v -> {
            close.run();
            if (follows[0] != null) {
              follows[0].close();
            }
          });
          return ProgressSubscription.open(vertx, tracking, task, message -> write(ws, message), () -> ws.close((short) 1000, "Run ended"))
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
      Map<String, ProgressSubscription> subscriptions = new HashMap<>();
      ws.textMessageHandler(text -> onCommand(ws, userId, subscriptions, text));
      ws.closeHandler(v -> {
        subscriptions.values().forEach(ProgressSubscription::close);
        subscriptions.clear();
        close.run();
      });
      write(ws, new JsonObject().put("type", "ready").put("message",
          "Send {\"action\": \"subscribe\" | \"unsubscribe\", \"task_id\": \"...\"}"));
      return ws;
    })).onFailure(failure -> {
      if (!ctx.response().headWritten()) {
        ctx.fail(failure);
      }
    });
  }

  private void onCommand(ServerWebSocket ws, String userId, Map<String, ProgressSubscription> subscriptions, String text) {
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
      ProgressSubscription old = subscriptions.remove(taskId);
      if (old != null) {
        old.close();
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
    ownedTask(userId, taskId)
        .compose(task -> ProgressSubscription.open(vertx, tracking, task, message -> write(ws, message), () -> { }))
        .onSuccess(subscription -> {
          if (ws.isClosed()) {
            subscription.close();
          } else {
            subscriptions.put(taskId, subscription);
          }
        })
        .onFailure(e -> write(ws, error(taskId, e instanceof CodvidException ? e.getMessage() : "Could not subscribe")));
  }

  private static JsonObject error(String taskId, String message) {
    return new JsonObject().put("type", "error").put("task_id", taskId).put("message", message);
  }

  // ---- Server-Sent Events ----

  private void eventStream(RoutingContext ctx) {
    authenticate(ctx)
        .compose(userId -> ownedTask(userId, ctx.pathParam("id")))
        .onSuccess(task -> {
          HttpServerResponse response = ctx.response()
              .setChunked(true)
              .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
              .putHeader("X-Accel-Buffering", "no");
          response.write(": codvid progress stream\n\n");
          long ping = vertx.setPeriodic(pingMillis, id -> {
            if (!response.ended() && !response.closed()) {
              response.write(": ping\n\n");
            }
          });
          ProgressSubscription[] follows = new ProgressSubscription[1];
          Runnable[] end = new Runnable[1];
          end[0] = () -> {
            vertx.cancelTimer(ping);
            closers.remove(end[0]);
            if (follows[0] != null) {
              follows[0].close();
            }
            if (!response.ended() && !response.closed()) {
              response.end();
            }
          };
          closers.add(end[0]);
          response.closeHandler(v -> end[0].run());
          ProgressSubscription.Sink sink = message -> {
            if (response.closed() || response.ended()) {
              return false;
            }
            if (response.writeQueueFull()) {
              end[0].run();
              return false;
            }
            String id = message.getValue("seq") == null ? "" : "id: " + message.getValue("run_id") + ":" + message.getValue("seq") + "\n";
            response.write(id + "event: " + message.getString("type") + "\ndata: " + message.encode() + "\n\n");
            return true;
          };
          ProgressSubscription.open(vertx, tracking, task, sink, end[0])
              .onSuccess(subscription -> {
                follows[0] = subscription;
                if (response.closed() || response.ended()) {
                  subscription.close();
                }
              })
              .onFailure(e -> end[0].run());
        })
        .onFailure(ctx::fail);
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
