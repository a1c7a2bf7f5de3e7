package ai.codvid.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer carries: no sniffing, no framing, no referrer, nothing cached; a
 * Content-Security-Policy that allows nothing for the JSON API, only same-origin assets for the
 * docs page, and for the dashboard only same-origin scripts, styles, fetches and WebSockets, with
 * no inline script or style at all.
 */
final class SecurityHeaders implements Handler<RoutingContext> {

  static final String VENDOR = Api.path("/app/vendor/");
  static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
  static final String DOCS_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
  /**
   * The dashboard: CSP Level 3 lets {@code connect-src 'self'} reach the same host's ws:/wss:;
   * {@code img-src data:} for the sample source's generated profile pictures.
   */
  static final String APP_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    String path = ctx.request().path();
    boolean docs = path.startsWith(Api.path("/docs"));
    boolean app = path.equals(Api.path("/app")) || path.startsWith(Api.path("/app/"));
    headers.set("Content-Security-Policy", docs ? DOCS_POLICY : app ? APP_POLICY : API_POLICY);
    if (path.startsWith(VENDOR)) {
      headers.set("Cache-Control", "public, max-age=31536000, immutable"); // the library's version is in the path
    } else if (!docs) {
      headers.set("Cache-Control", "no-store");
    }
    ctx.next();
  }
}
