package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.TooManyRequests;
import ai.codvid.store.MongoErrors;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one router-level failure handler: maps every failure to a status and the envelope.
 * Domain failures keep their message; store and internal failures never show their text to the
 * client. 500s are logged with the request id the client also receives. A client that went
 * away before its request was read or answered is its own business: a DEBUG line, no answer.
 * A {@link TooManyRequests} carries its {@code Retry-After}.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);


  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().headWritten()) {
      if (!ctx.response().ended()) {
        ctx.response().reset();
      }
      return;
    }
    if (failure instanceof HttpClosedException || ctx.response().closed()) {
      LOG.debug("[{}] the client went away during {} {}", RequestId.of(ctx), ctx.request().method(), ctx.request().path());
      return;
    }
    if (failure instanceof ReplyException reply) {
      failure = CodvidException.fromBus(reply);
    }
    if (failure instanceof TooManyRequests limited) {
      ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
    }
    if (failure instanceof CodvidException e) {
      Envelope.failure(ctx, e.code().status(), e.getMessage());
    } else if (failure instanceof HttpException http) {
      Envelope.failure(ctx, http.getStatusCode(), messageFor(http.getStatusCode(), http.getPayload()));
    } else if (failure instanceof ReplyException reply && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      LOG.warn("[{}] event bus {} on {}: {}", RequestId.of(ctx), reply.failureType(), ctx.request().path(), reply.getMessage());
      Envelope.failure(ctx, 503, "A backend service is temporarily unavailable. Please retry shortly.");
    } else if (failure != null && MongoErrors.isOutOfSpace(failure)) {
      // not logged per request: the store logs once when it stops and starts accepting writes
      Envelope.failure(ctx, 503, MongoErrors.STORE_READ_ONLY);
    } else if (failure != null && MongoErrors.isTooLarge(failure)) {
      Envelope.failure(ctx, 413, MongoErrors.DOCUMENT_TOO_LARGE);
    } else if (failure != null && MongoErrors.isDuplicateKey(failure)) {
      Envelope.failure(ctx, 409, "Already exists");
    } else if (failure != null && MongoErrors.isUnavailable(failure)) {
      LOG.warn("[{}] store unavailable on {}: {}", RequestId.of(ctx), ctx.request().path(), failure.getMessage());
      Envelope.failure(ctx, 503, "The database is temporarily unavailable. Please retry shortly.");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500 || failure == null && ctx.statusCode() > 500) {
      Envelope.failure(ctx, ctx.statusCode(), messageFor(ctx.statusCode(), null));
    } else {
      LOG.error("[{}] internal error on {} {}", RequestId.of(ctx), ctx.request().method(), ctx.request().path(), failure);
      Envelope.failure(ctx, 500, "Internal server error (request id " + RequestId.of(ctx) + ")");
    }
  }

  static String messageFor(int status, String payload) {
    return switch (status) {
      case 413 -> "Request body too large";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 503 -> "The request took too long or the service is temporarily unavailable. Please retry shortly.";
      case 426 -> payload != null && !payload.isBlank() ? payload : Envelope.reason(status);
      case 401 -> payload != null && payload.startsWith("Unauthorized") ? payload : "Unauthorized: invalid or expired token";
      case 400 -> payload != null && !payload.isBlank() && payload.length() < 200 ? payload : "Bad request";
      default -> Envelope.reason(status);
    };
  }
}
