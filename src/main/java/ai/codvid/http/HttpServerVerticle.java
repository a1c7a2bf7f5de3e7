package ai.codvid.http;

import ai.codvid.Services;
import ai.codvid.config.AppConfig;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The REST API. Several instances share the port; each builds its own router over the node's
 * shared {@link Services}. A failed bind fails the deployment; stopping waits for in-flight
 * requests (up to {@code http.shutdown_timeout_seconds}).
 *
 * <p>HTTP/1.1 only: cleartext HTTP/2 (h2c) is off, because Vert.x answers an h2c upgrade without
 * {@code HTTP2-Settings} with a bodiless 400 that says {@code connection: close} and then keeps
 * the connection open, so the client waits until the idle timeout.
 */
public final class HttpServerVerticle extends VerticleBase {

  private final Services services;
  private final IntConsumer boundPort;
  private final Consumer<List<Endpoint>> endpoints;
  private HttpServer server;
  private ProgressRoutes progress;

  /**
   * A method and path the router serves, the path as Vert.x writes it ({@code :id} for a path
   * parameter, a trailing {@code *} for a prefix).
   */
  public record Endpoint(HttpMethod method, String path) {
  }

  /**
   * @param boundPort told the port actually bound
   * @param endpoints told the endpoints of the router once it is built
   */
  public HttpServerVerticle(Services services, IntConsumer boundPort, Consumer<List<Endpoint>> endpoints) {
    this.services = services;
    this.boundPort = boundPort;
    this.endpoints = endpoints;
  }

  @Override
  public Future<?> start() {
    AppConfig config = services.config;
    Router router = router();
    endpoints.accept(endpoints(router));
    server = vertx.createHttpServer(new HttpServerOptions()
            .setHttp2ClearTextEnabled(false)
            .setIdleTimeout(config.integer("http.idle_timeout_seconds", 120))
            .setIdleTimeoutUnit(TimeUnit.SECONDS))
        .invalidRequestHandler(HttpServerVerticle::invalidRequest)
        .requestHandler(router);
    return progress.ready()
        .compose(v -> server.listen(config.httpPort(), config.httpHost()))
        .onSuccess(s -> boundPort.accept(s.actualPort()));
  }

  /** Closes live sockets (1001), then stops accepting and lets in-flight requests finish. */
  @Override
  public Future<?> stop() {
    if (progress != null) {
      progress.closeAll();
    }
    return server == null ? Future.succeededFuture()
        : server.shutdown(services.config.integer("http.shutdown_timeout_seconds", 10), TimeUnit.SECONDS);
  }

  private Router router() {
    Router router = Router.router(vertx);
    Handler<RoutingContext> authenticated = new Authenticated(services.sessions);
    router.route().handler(new RequestId());
    if (services.config.bool("http.access_log", false)) {
      router.route().handler(new AccessLog());
    }
    router.route().handler(new SecurityHeaders());
    router.route().handler(new SameOrigin(cors(services.config.corsOrigins())));
    new HealthRoutes(services.store, services.clusterJoined, services.shuttingDown).mount(router);
    new MetricsRoutes(services.config).mount(router);
    new DocsRoutes(vertx).mount(router);
    new DashboardRoutes().mount(router);
    progress = new ProgressRoutes(vertx, services.sessions, services.tracking,
        Math.round(services.config.decimal("http.ping_interval_seconds", 30) * 1000));
    progress.mount(router);
    router.route().handler(HttpServerVerticle::readFormsAsJson);
    router.route().handler(BodyHandler.create(false)
        .setBodyLimit(services.config.httpBodyLimitBytes())
        .setHandleFileUploads(false));
    long timeout = services.config.longValue("http.request_timeout_ms", 30_000);
    TimeoutHandler timeouts = TimeoutHandler.create(timeout, 503);
    router.route(Api.path("/*")).handler(ctx -> {
      if (ctx.request().path().startsWith(Api.path("/ai/")) || ctx.request().path().startsWith(Api.path("/ig-tracking/export/"))) {
        ctx.next(); // streamed answers have their own limit (llm.max_answer_seconds); exports stream as long as the client reads
      } else {
        timeouts.handle(ctx);
      }
    });
    router.route(Api.path("/*")).handler(Envelope.parser());

    new AuthRoutes(services.users, new ClientAddress(services.config.string("http.trusted_proxies", null))).mount(router, authenticated);
    new UserRoutes(services.users).mount(router, authenticated);
    TrackingRoutes tracking = new TrackingRoutes(services.tracking, services.projects, services.trackingOptions,
        services.forceScrapeLimiter, services.metrics);
    tracking.mount(router, authenticated);
    new ProjectRoutes(services.projects, tracking::reelViews).mount(router, authenticated);
    new AiRoutes(services.chat).mount(router, authenticated);
    new InsightsRoutes(services.insights).mount(router, authenticated);
    new AlertRoutes(services.alerts).mount(router, authenticated);

    FailureHandler failures = new FailureHandler();
    router.route().failureHandler(failures);
    router.errorHandler(400, ctx -> Envelope.failure(ctx, 400, "Bad request"));
    router.errorHandler(404, ctx -> Envelope.failure(ctx, 404, "Not found"));
    router.errorHandler(405, ctx -> Envelope.failure(ctx, 405, "Method not allowed"));
    router.errorHandler(413, ctx -> Envelope.failure(ctx, 413, "Request body too large"));
    router.errorHandler(500, failures);
    return router;
  }

  /** Every (method, path) of the router; handlers for all requests (no path or no method) are left out. */
  static List<Endpoint> endpoints(Router router) {
    return router.getRoutes().stream()
        .filter(route -> route.getPath() != null && route.methods() != null)
        .flatMap(route -> route.methods().stream()
            .map(method -> new Endpoint(method, route.isExactPath() ? route.getPath() : route.getPath() + "*")))
        .toList();
  }

  /**
   * Every body is read as JSON. Vert.x's body handler would also decode a form or multipart
   * content type, and that decoding throws on methods other than POST, PUT, PATCH and DELETE
   * (a 500), on a bad percent-escape in the body (a 500) and on one in the query string (the
   * request is never answered); so such a content type is dropped and the body read as it is,
   * which also keeps {@code curl -d '{json}'} working.
   */
  private static void readFormsAsJson(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null) {
      String lower = type.toLowerCase(Locale.ROOT);
      if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
        ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
      }
    }
    ctx.next();
  }

  /**
   * Requests the HTTP decoder rejects (request line over 4 KiB → 414, headers over 8 KiB → 431,
   * anything malformed → 400) get the JSON envelope too; the connection is closed after it.
   */
  private static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431
        : 400;
    String message = switch (status) {
      case 414 -> "Request line too long";
      case 431 -> "Request headers too large";
      default -> "Bad request";
    };
    request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(new JsonObject().put("result", false).put("message", message).toBuffer())
        .onComplete(done -> request.connection().close());
  }

  private static CorsHandler cors(String origins) {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("Authorization", "Content-Type", RequestId.HEADER))
        .exposedHeader(RequestId.HEADER)
        .maxAgeSeconds(3600);
    if (!origins.isBlank() && !origins.trim().equals("*")) {
      cors.addOrigins(Arrays.stream(origins.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList());
    }
    return cors;
  }
}
