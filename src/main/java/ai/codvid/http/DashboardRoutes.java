package ai.codvid.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser dashboard, public files: {@code GET /codvid-ai/app/} serves the single page and its
 * ES modules from {@code app/} on the classpath, {@code /codvid-ai/app/vendor/uplot/<version>/}
 * the uPlot charting library from its webjar (cacheable for a year: the version is in the path),
 * and {@code GET /} redirects to the page. Everything is
 * same-origin and runs under {@link SecurityHeaders#APP_POLICY}; the page reaches the API with
 * the token it keeps in the tab's session storage, never in a URL (except the WebSocket's
 * {@code ?token=}, which browsers cannot send as a header).
 */
final class DashboardRoutes {

  static final String OWN_FILES = "app";
  /** The webjar's root: its files are under the version, which the page's script URL names. */
  static final String UPLOT = "META-INF/resources/webjars/uplot";
  static final String PAGE = Api.path("/app/");

  void mount(Router router) {
    router.get("/").handler(DashboardRoutes::toPage);
    router.get(Api.path("/app")).handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next(); // Vert.x matches "/app" for "/app/" too: that one is the page itself
      } else {
        toPage(ctx);
      }
    });
    router.get(Api.path("/app/vendor/uplot/*")).handler(files(UPLOT));
    router.get(Api.path("/app/*")).handler(files(OWN_FILES));
  }

  private static StaticHandler files(String root) {
    return StaticHandler.create(root)
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8");
  }

  private static void toPage(RoutingContext ctx) {
    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, PAGE).end();
  }
}
