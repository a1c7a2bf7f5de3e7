package ai.codvid;

import ai.codvid.alerts.AlertsVerticle;
import ai.codvid.config.AppConfig;
import ai.codvid.http.HttpServerVerticle;
import ai.codvid.sentiment.SentimentVerticle;
import ai.codvid.tracking.ScraperVerticle;
import ai.codvid.tracking.SchedulerVerticle;
import ai.codvid.store.Store;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VertxBuilder;
import io.vertx.micrometer.MicrometerMetricsFactory;
import ai.codvid.observability.CodvidMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private volatile String scrapers;
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private volatile List<HttpServerVerticle.Endpoint> routes = List.of();
  private Store store;
  private Services services;

  private CodvidApp(Vertx vertx, AppConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Builds a Vert.x for the config (clustered when {@code clustered} is true), with Micrometer
   * metrics in the registry named by {@link CodvidMetrics#REGISTRY_NAME_KEY} when that is set.
   */
  public static Future<Vertx> vertx(AppConfig config) {
    VertxOptions options = new VertxOptions();
    String registry = config.string(CodvidMetrics.REGISTRY_NAME_KEY, null);
    if (registry != null) {
      options.setMetricsOptions(CodvidMetrics.options(registry));
    }
    VertxBuilder builder = Vertx.builder().with(options);
    if (registry != null) {
      builder = builder.withMetrics(new MicrometerMetricsFactory());
    }
    if (!config.clustered()) {
      return Future.succeededFuture(builder.build());
    }
    String host = config.string("cluster.host", "127.0.0.1");
    options.setEventBusOptions(new EventBusOptions()
        .setHost(host)
        .setPort(config.integer("cluster.port", 0))
        .setClusterPublicHost(config.string("cluster.public_host", host)));
    Config hazelcast;
    try {
      hazelcast = hazelcastConfig(config);
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalStateException("Cannot read the cluster configuration: " + e.getMessage(), e));
    }
    return builder.withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered();
  }

  /**
   * The Hazelcast configuration: the file named by {@code cluster.config}
   * ({@code CODVID_CLUSTER_CONFIG}), else {@code ./cluster.xml}, else the copy inside the jar;
   * {@code cluster.name} overrides the cluster name (tests use a fresh one).
   */
  static Config hazelcastConfig(AppConfig config) {
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    String file = config.clusterConfig();
    Config hazelcast;
    try {
      if (file != null) {
        hazelcast = new FileSystemXmlConfig(file);
      } else if (Files.exists(Path.of("cluster.xml"))) {
        hazelcast = new FileSystemXmlConfig("cluster.xml");
      } else {
        hazelcast = new ClasspathXmlConfig("cluster.xml");
      }
    } catch (IOException e) {
      throw new IllegalStateException(file + ": " + e.getMessage(), e);
    }
    String name = config.string("cluster.name", null);
    if (name != null) {
      hazelcast.setClusterName(name);
    }
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    return hazelcast;
  }

  /**
   * Starts a node on a new Vert.x built from the config (with metrics unless {@code metrics.enabled} is false).
   * A failed start fails at once; the Vert.x it built is closed in the background (waiting for
   * that close could hang: its completion is delivered on an event loop that is already gone).
   */
  public static Future<CodvidApp> start(AppConfig given) {
    AppConfig config = given.bool("metrics.enabled", true) && given.string(CodvidMetrics.REGISTRY_NAME_KEY, null) == null
        ? given.with(CodvidMetrics.REGISTRY_NAME_KEY, CodvidMetrics.newRegistryName())
        : given;
    return vertx(config).compose(vertx -> start(vertx, config)
        .onSuccess(app -> app.ownsVertx = true)
        .recover(failure -> {
          vertx.close();
          return Future.failedFuture(failure);
        }));
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
          if (vertx.isClustered() && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hazelcast) {
            services.clusterJoined = () -> hazelcast.isActive() && hazelcast.getHazelcastInstance().getLifecycleService().isRunning();
          }
          return app.deploy(SentimentVerticle.deploy(vertx, config));
        })
        .compose(v -> app.services.trackingOptions.scraperInstances() == 0 ? Future.succeededFuture() : app.deploy(vertx.deployVerticle(
                () -> new ScraperVerticle(app.services.tracking.tasks(), app.services.registry, app.services.instagram, app.services.trackingOptions,
                    app.services.metrics),
                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(app.services.trackingOptions.scraperInstances()))
            .onSuccess(id -> app.scrapers = id)))
        .compose(v -> app.services.trackingOptions.schedulerEnabled()
            ? app.deploy(vertx.deployVerticle(new SchedulerVerticle(app.services.tracking, app.services.trackingOptions, app.services.nodeId)))
            : Future.succeededFuture())
        .compose(v -> app.deploy(vertx.deployVerticle(new AlertsVerticle(app.services.alerts))))
        .compose(v -> app.deploy(vertx.deployVerticle(() -> new HttpServerVerticle(app.services, app.httpPort::set, app::setRoutes),
            new DeploymentOptions().setInstances(config.httpInstances()))))
        .map(v -> {
          LOG.info("Codvid node ready on port {}{}, data source: {}, AI chat: {}", app.httpPort.get(),
              config.clustered() ? " (clustered)" : "", app.services.instagram.name(),
              app.services.chat.options().providerConfigured() ? "model " + app.services.chat.options().model()
                  : "built-in assistant (no CODVID_LLM_BASE_URL / CODVID_LLM_MODEL)");
          return app;
        })
        .recover(failure -> app.closeResources().transform(ignored -> Future.failedFuture(failure)));
  }

  private Future<Void> deploy(Future<String> deployment) {
    return deployment.map(id -> {
      deployments.add(0, id);
      return null;
    });
  }

  /** Undeploys this node's scraper workers (runs in progress are abandoned, as when a node dies). */
  public Future<Void> undeployScrapers() {
    String id = scrapers;
    deployments.remove(id);
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
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

  /** The (method, path) pairs the HTTP router serves. */
  public List<HttpServerVerticle.Endpoint> routes() {
    return routes;
  }

  private void setRoutes(List<HttpServerVerticle.Endpoint> endpoints) {
    routes = endpoints;
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
    if (services != null) {
      services.beginShutdown();
    }
    Future<Void> undeployed = Future.succeededFuture();
    for (String id : deployments) {
      undeployed = undeployed.compose(v -> vertx.undeploy(id).recover(ignored -> Future.succeededFuture()));
    }
    return undeployed
        .compose(v -> closeResources())
        .compose(v -> ownsVertx ? vertx.close() : Future.succeededFuture());
  }

  private Future<Void> closeResources() {
    Future<Void> servicesClosed = services == null ? Future.succeededFuture() : services.close();
    return servicesClosed.compose(v -> store == null ? Future.succeededFuture() : store.close());
  }
}
