package ai.codvid.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured log line per request (logger {@code ai.codvid.access}): request id, method,
 * path, status, duration and user. Never the query string (a browser's WebSocket carries its
 * token there), headers or bodies.
 */
final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("ai.codvid.access");

  @Override
  public void handle(RoutingContext ctx) {
    if (LOG.isInfoEnabled()) {
      long started = System.nanoTime();
      ctx.addEndHandler(done -> LOG.atInfo()
          .addKeyValue("request_id", RequestId.of(ctx))
          .addKeyValue("method", ctx.request().method().name())
          .addKeyValue("path", ctx.request().path())
          .addKeyValue("status", ctx.response().getStatusCode())
          .addKeyValue("duration_ms", (System.nanoTime() - started) / 1_000_000.0)
          .addKeyValue("user_id", Authenticated.userId(ctx))
          .log("{} {} {}", ctx.request().method().name(), ctx.request().path(), ctx.response().getStatusCode()));
    }
    ctx.next();
  }
}
