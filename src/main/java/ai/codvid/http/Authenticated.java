package ai.codvid.http;

import ai.codvid.auth.SessionGuard;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Lets a request through only with a valid bearer token of a live account. */
public final class Authenticated implements Handler<RoutingContext> {

  private static final String USER_ID = "codvid.user-id";

  private final SessionGuard guard;

  public Authenticated(SessionGuard guard) {
    this.guard = guard;
  }

  @Override
  public void handle(RoutingContext ctx) {
    guard.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
        .onSuccess(userId -> {
          ctx.put(USER_ID, userId);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  /** The authenticated user's id. */
  public static String userId(RoutingContext ctx) {
    return ctx.get(USER_ID);
  }
}
