package ai.codvid.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;

/**
 * Lets requests from the node's own pages (the dashboard) past the CORS check: a browser sends
 * {@code Origin} on same-origin POSTs and WebSocket handshakes too, and Vert.x's CORS handler
 * refuses every origin not on {@code http.cors_origins}, so a restricted list would lock the
 * dashboard out of its own node. Same origin means the {@code Origin}'s host and port are the
 * request's {@code Host} (a default port may be left out on either side). CORS never protected
 * against non-browser clients, which can send any header; this only spares browsers a check that
 * does not apply to them.
 */
final class SameOrigin implements Handler<RoutingContext> {

  private final Handler<RoutingContext> cors;

  SameOrigin(Handler<RoutingContext> cors) {
    this.cors = cors;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (isSameOrigin(ctx.request())) {
      ctx.next();
    } else {
      cors.handle(ctx);
    }
  }

  static boolean isSameOrigin(HttpServerRequest request) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    String host = request.getHeader(HttpHeaders.HOST);
    if (origin == null || host == null || host.isBlank()) {
      return false;
    }
    URI from;
    URI to;
    try {
      from = new URI(origin.trim());
      to = new URI(from.getScheme() + "://" + host.trim());
    } catch (Exception e) {
      return false;
    }
    String scheme = from.getScheme() == null ? "" : from.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || from.getHost() == null || to.getHost() == null
        || to.getRawPath() != null && !to.getRawPath().isEmpty() || to.getRawUserInfo() != null) {
      return false;
    }
    return from.getHost().equalsIgnoreCase(to.getHost()) && port(scheme, from.getPort()) == port(scheme, to.getPort());
  }

  private static int port(String scheme, int port) {
    return port != -1 ? port : scheme.equals("https") ? 443 : 80;
  }
}
