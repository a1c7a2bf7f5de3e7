package ai.codvid.http;

import ai.codvid.auth.SessionGuard;
import ai.codvid.config.AppConfig;
import ai.codvid.observability.CodvidMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Prometheus text at {@code GET /codvid-ai/metrics}: Vert.x's meters (HTTP latency per route,
 * event bus, pools, JVM) and the application's ({@code codvid_*}). When {@code metrics.token}
 * is set the scraper must send {@code Authorization: Bearer <metrics.token>}; without metrics
 * the endpoint answers 404.
 */
final class MetricsRoutes {

  private final String registryName;
  private final String token;

  MetricsRoutes(AppConfig config) {
    this.registryName = config.string(CodvidMetrics.REGISTRY_NAME_KEY, null);
    this.token = config.string("metrics.token", null);
  }

  void mount(Router router) {
    if (registryName == null || BackendRegistries.getNow(registryName) == null) {
      router.get(Api.path("/metrics")).handler(ctx -> Envelope.failure(ctx, 404, "Metrics are not enabled on this node"));
      return;
    }
    router.get(Api.path("/metrics")).handler(ctx -> {
      if (token != null && !matches(SessionGuard.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)))) {
        Envelope.failure(ctx, 401, "Unauthorized: a valid metrics token is required");
        return;
      }
      ctx.next();
    }).handler(PrometheusScrapingHandler.create(registryName));
  }

  private boolean matches(String given) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }
}
