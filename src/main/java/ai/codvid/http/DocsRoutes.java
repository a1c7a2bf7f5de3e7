package ai.codvid.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The API description and its page, public: {@code GET /openapi.json} (OpenAPI 3.1, from the
 * classpath) and {@code GET /docs}, a Swagger UI served from the {@code org.webjars:swagger-ui}
 * jar and our own {@code docs-ui/} files, so the page loads nothing from another origin and runs
 * no inline script.
 */
final class DocsRoutes {

  static final String OPENAPI = "openapi/openapi.json";
  static final String OWN_FILES = "docs-ui";
  /** Must name the version of {@code org.webjars:swagger-ui} in the pom. */
  static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.21.0";

  private final Vertx vertx;
  private Future<Buffer> openapi;

  DocsRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.get(Api.path("/openapi.json")).handler(this::openapi);
    router.get(Api.path("/docs")).handler(this::page);
    router.get(Api.path("/docs/*"))
        .handler(StaticHandler.create(OWN_FILES))
        .handler(StaticHandler.create(SWAGGER_UI));
  }

  private void openapi(RoutingContext ctx) {
    if (openapi == null || openapi.failed()) {
      openapi = vertx.fileSystem().readFile(OPENAPI);
    }
    openapi.onSuccess(document -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
            .end(document))
        .onFailure(ctx::fail);
  }

  private void page(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .sendFile(OWN_FILES + "/index.html")
        .onFailure(ctx::fail);
  }
}
