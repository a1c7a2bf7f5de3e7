package ai.codvid.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer carries: no sniffing, no framing, no referrer, nothing cached; a
 * Content-Security-Policy that allows nothing for the JSON API and only same-origin assets for
 * the docs page.
 */
final class SecurityHeaders implements Handler<RoutingContext> {

  static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
  static final String DOCS_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    boolean docs = ctx.request().path().startsWith(Api.path("/docs"));
    headers.set("Content-Security-Policy", docs ? DOCS_POLICY : API_POLICY);
    if (!docs) {
      headers.set("Cache-Control", "no-store");
    }
    ctx.next();
  }
}
