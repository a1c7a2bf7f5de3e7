package ai.codvid.http;

import ai.codvid.store.Store;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * For load balancers: {@code /health} (liveness: the process answers) and {@code /ready} (the
 * store answers and takes writes, the cluster is joined when clustered, and the node is not
 * shutting down). A store that answers but refuses writes (full disk) is {@code READ_ONLY}:
 * not ready, although reads still work.
 */
final class HealthRoutes {

  static final String STORE_READ_ONLY = "Not ready: the store does not accept writes (its disk is full or a commit failed; "
      + "the node log says why). Reads still work.";

  private final Store store;
  private final BooleanSupplier clusterJoined;
  private final BooleanSupplier shuttingDown;

  HealthRoutes(Store store, BooleanSupplier clusterJoined, BooleanSupplier shuttingDown) {
    this.store = store;
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
    store.status()
        .recover(e -> Future.succeededFuture(null))
        .onSuccess(status -> {
          String storeCheck = status == null ? "DOWN" : status.writable() ? "UP" : "READ_ONLY";
          boolean ready = "UP".equals(storeCheck) && cluster && !stopping;
          JsonObject checks = new JsonObject().put("store", storeCheck).put("store_writable", status != null && status.writable())
              .put("cluster", cluster ? "UP" : "DOWN").put("accepting", !stopping);
          if (ready) {
            Envelope.okTop(ctx, 200, new JsonObject().put("status", "READY").put("checks", checks));
          } else {
            Envelope.send(ctx, 503, new JsonObject().put("result", false)
                .put("message", stopping ? "Not ready: shutting down" : status == null ? "Not ready: store unreachable"
                    : !status.writable() ? STORE_READ_ONLY : "Not ready: cluster not joined")
                .put("checks", checks));
          }
        });
  }
}
