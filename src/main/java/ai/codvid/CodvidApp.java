package ai.codvid;

import ai.codvid.config.AppConfig;
import ai.codvid.http.HttpServerVerticle;
import ai.codvid.store.Store;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Codvid node: a (clustered) Vert.x, the store, the shared services and the verticles.
 * {@link Main} runs one; tests start as many as they need.
 */
public final class CodvidApp {

  private static final Logger LOG = LoggerFactory.getLogger(CodvidApp.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final AtomicInteger httpPort = new AtomicInteger(-1);
  private boolean ownsVertx;
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private Store store;
  private Services services;

  private CodvidApp(Vertx vertx, AppConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Builds a Vert.x for the config (clustered when {@code clustered} is true). */
  public static Future<Vertx> vertx(AppConfig config) {
    VertxOptions options = new VertxOptions();
    if (!config.clustered()) {
      return Future.succeededFuture(Vertx.vertx(options));
    }
    String host = config.string("cluster.host", "127.0.0.1");
    options.setEventBusOptions(new EventBusOptions()
        .setHost(host)
        .setPort(config.integer("cluster.port", 0))
        .setClusterPublicHost(config.string("cluster.public_host", host)));
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager()).buildClustered();
  }

  /** Starts a node on a new Vert.x built from the config. */
  public static Future<CodvidApp> start(AppConfig config) {
    return vertx(config).compose(vertx -> start(vertx, config)
        .onSuccess(app -> app.ownsVertx = true)
        .recover(failure -> vertx.close().transform(ignored -> Future.failedFuture(failure))));
  }

  /**
   * Starts a node on the given Vert.x: store → services → verticles, in one chain. Closing the
   * node leaves that Vert.x open.
   */
  public static Future<CodvidApp> start(Vertx vertx, AppConfig config) {
    CodvidApp app = new CodvidApp(vertx, config);
    return Store.start(vertx, config)
        .compose(store -> {
          app.store = store;
          return Services.create(vertx, config, store);
        })
        .compose(services -> {
          app.services = services;
          return vertx.deployVerticle(() -> new HttpServerVerticle(services, app.httpPort::set),
              new DeploymentOptions().setInstances(config.httpInstances()));
        })
        .map(id -> {
          app.deployments.add(id);
          LOG.info("Codvid node ready on port {}{}", app.httpPort.get(), config.clustered() ? " (clustered)" : "");
          return app;
        })
        .recover(failure -> app.closeResources().transform(ignored -> Future.failedFuture(failure)));
  }

  public Vertx vertx() {
    return vertx;
  }

  public Services services() {
    return services;
  }

  public AppConfig config() {
    return config;
  }

  /** The HTTP port actually bound. */
  public int httpPort() {
    return httpPort.get();
  }

  /**
   * Stops cleanly: verticles are undeployed (HTTP servers stop accepting and finish in-flight
   * requests), then the store is closed, then Vert.x when the node built it (leaving the cluster).
   */
  public Future<Void> close() {
    return Future.all(deployments.stream().map(vertx::undeploy).toList())
        .recover(ignored -> Future.succeededFuture())
        .compose(v -> closeResources())
        .compose(v -> ownsVertx ? vertx.close() : Future.succeededFuture());
  }

  private Future<Void> closeResources() {
    Future<Void> servicesClosed = services == null ? Future.succeededFuture() : services.close();
    return servicesClosed.compose(v -> store == null ? Future.succeededFuture() : store.close());
  }
}
