package ai.codvid.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * What a use-case handler answers: either {@code {"result": true, "response": {...}}} or
 * fields at the top level next to {@code result} (as signup and force_scrape do).
 */
public record Reply(int status, JsonObject body, boolean topLevel, Buffer encoded) {

  public static Reply ok(JsonObject response) {
    return new Reply(200, response, false, null);
  }

  public static Reply top(int status, JsonObject fields) {
    return new Reply(status, fields, true, null);
  }

  /** A 200 whose whole envelope was encoded before (e.g. a cached answer). */
  public static Reply encoded(Buffer envelope) {
    return new Reply(200, null, false, envelope);
  }

  /** The bytes of {@code {"result": true, "response": response}}. */
  public static Buffer encode(JsonObject response) {
    return new JsonObject().put("result", true).put("response", response).toBuffer();
  }

  public static Reply done() {
    return top(200, new JsonObject());
  }

  void send(RoutingContext ctx) {
    if (encoded != null) {
      Envelope.sendEncoded(ctx, status, encoded);
    } else if (topLevel) {
      Envelope.okTop(ctx, status, body);
    } else {
      Envelope.send(ctx, status, new JsonObject().put("result", true).put("response", body));
    }
  }

  /**
   * Adapts a use case to a route handler: its reply is written with the envelope, and any
   * failure (thrown during validation or carried by the future) goes to the failure handler.
   */
  public static Handler<RoutingContext> handler(Function<RoutingContext, Future<Reply>> useCase) {
    return ctx -> {
      Future<Reply> reply;
      try {
        reply = useCase.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      reply.onSuccess(r -> r.send(ctx)).onFailure(ctx::fail);
    };
  }
}
