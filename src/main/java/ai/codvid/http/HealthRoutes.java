package ai.codvid.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * For load balancers: {@code /health} (liveness: the process answers) and {@code /ready} (the
 * store answers a ping, the cluster is joined when clustered, and the node is not shutting down).
 */
final class HealthRoutes {

  private final MongoClient mongo;
  private final BooleanSupplier clusterJoined;
  private final BooleanSupplier shuttingDown;

  HealthRoutes(MongoClient mongo, BooleanSupplier clusterJoined, BooleanSupplier shuttingDown) {
    this.mongo = mongo;
    this.clusterJoined = clusterJoined;
    this.shuttingDown = shuttingDown;
  }

  void mount(Router router) {
    router.route(Api.path("/health")).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx ->
        Envelope.okTop(ctx, 200, new JsonObject().put("status", "UP")));
    router.route(Api.path("/ready")).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    boolean cluster = clusterJoined.getAsBoolean();
    boolean stopping = shuttingDown.getAsBoolean();
    mongo.runCommand("ping", new JsonObject().put("ping", 1))
        .map(true)
        .recover(e -> Future.succeededFuture(false))
        .onSuccess(store -> {
          boolean ready = store && cluster && !stopping;
          JsonObject checks = new JsonObject().put("store", store ? "UP" : "DOWN")
              .put("cluster", cluster ? "UP" : "DOWN").put("accepting", !stopping);
          if (ready) {
            Envelope.okTop(ctx, 200, new JsonObject().put("status", "READY").put("checks", checks));
          } else {
            Envelope.send(ctx, 503, new JsonObject().put("result", false)
                .put("message", "Not ready: " + (stopping ? "shutting down" : !store ? "store unreachable" : "cluster not joined"))
                .put("checks", checks));
          }
        });
  }
}
