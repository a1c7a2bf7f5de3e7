package ai.codvid;

import ai.codvid.ai.ChatOptions;
import ai.codvid.alerts.AlertService;
import ai.codvid.ai.ChatService;
import ai.codvid.ai.LlmOptions;
import ai.codvid.auth.JwtTokens;
import ai.codvid.auth.LoginThrottle;
import ai.codvid.auth.PasswordHasher;
import ai.codvid.auth.SessionGuard;
import ai.codvid.config.AppConfig;
import ai.codvid.insights.InsightsOptions;
import ai.codvid.insights.InsightsService;
import ai.codvid.projects.ProjectService;
import ai.codvid.instagram.InstagramSource;
import ai.codvid.instagram.InstagramSources;
import ai.codvid.observability.CodvidMetrics;
import ai.codvid.store.Limits;
import ai.codvid.store.ReadCache;
import ai.codvid.store.Store;
import ai.codvid.tracking.ProcessingRegistry;
import ai.codvid.tracking.TrackingOptions;
import ai.codvid.tracking.TrackingService;
import ai.codvid.tracking.TrackingTasks;
import ai.codvid.users.UserService;
import ai.codvid.http.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** The node's shared, thread-safe services, built once and handed to the verticles. */
public final class Services {

  public final Vertx vertx;
  public final AppConfig config;
  public final Store store;
  public final MongoClient mongo;
  public final JwtTokens tokens;
  public final SessionGuard sessions;
  public final UserService users;
  public final ProjectService projects;
  /** Users' cached reads, dropped cluster-wide on every change. */
  public final ReadCache reads;
  public final Limits limits;
  public final String nodeId;
  public final TrackingOptions trackingOptions;
  public final ProcessingRegistry registry;
  public final TrackingService tracking;
  public final InstagramSource instagram;
  public final ChatService chat;
  public final InsightsService insights;
  public final AlertService alerts;
  public final CodvidMetrics metrics;
  /** force_scrape requests per user per minute, on this node. */
  public final RateLimiter forceScrapeLimiter;
  private final long registryGauge;
  /** True while this node is a member of its cluster (always true when not clustered). */
  public volatile BooleanSupplier clusterJoined = () -> true;
  private final AtomicBoolean stopping = new AtomicBoolean();
  /** True once the node has begun shutting down. */
  public final BooleanSupplier shuttingDown = stopping::get;

  private Services(Vertx vertx, AppConfig config, Store store, JwtTokens tokens) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.mongo = store.mongo();
    this.tokens = tokens;
    this.sessions = new SessionGuard(vertx, tokens, mongo, config.longValue("auth.session_cache_ms", 30_000));
    this.users = new UserService(vertx, mongo, new PasswordHasher(vertx, config), tokens, new LoginThrottle(vertx, config));
    this.reads = new ReadCache(vertx, config.longValue("tracking.list_cache_ms", 5_000), config.longValue("reads.cache_ms", 5_000),
        config.longValue("reads.cache_max_mb", 64) * 1024 * 1024);
    this.limits = Limits.from(config);
    this.projects = new ProjectService(mongo, reads, users.deletions(), limits);
    this.nodeId = UUID.randomUUID().toString();
    this.trackingOptions = TrackingOptions.from(config);
    this.registry = new ProcessingRegistry(vertx, nodeId, trackingOptions.leaseMillis());
    this.tracking = new TrackingService(vertx, registry,
        new TrackingTasks(mongo, reads, users.deletions(), limits));
    this.insights = new InsightsService(vertx, tracking.tasks(), mongo, InsightsOptions.from(config));
    this.alerts = AlertService.create(vertx, config, mongo, tracking.tasks(), insights, nodeId);
    tracking.tasks().historySink(alerts.cleaningAfter(insights));
    projects.historySink(alerts.cleaningAfter(insights));
    this.chat = new ChatService(vertx, projects, tracking.tasks(), LlmOptions.from(config), ChatOptions.from(config));
    this.instagram = InstagramSources.create(vertx, config);
    this.metrics = CodvidMetrics.of(config);
    this.forceScrapeLimiter = new RateLimiter(config.integer("tracking.force_scrape_per_minute", 30), 60_000);
    this.registryGauge = vertx.setPeriodic(5_000, id -> registry.size().onSuccess(metrics::registrySize));
  }

  public static Future<Services> create(Vertx vertx, AppConfig config, Store store) {
    return JwtTokens.create(vertx, config, store.mongo())
        .map(tokens -> new Services(vertx, config, store, tokens))
        .compose(services -> services.sessions.ready().map(services))
        .compose(services -> services.users.migrateStoredEmails().map(services))
        .compose(services -> services.reads.ready().map(services))
        .compose(services -> services.users.deletions().ready().map(services))
        .compose(services -> services.insights.ready().map(services))
        .compose(services -> services.alerts.ready(store).map(services));
  }

  /** Marks the node as shutting down: /ready answers 503 from now on. */
  public void beginShutdown() {
    stopping.set(true);
  }

  public Future<Void> close() {
    vertx.cancelTimer(registryGauge);
    return sessions.close().compose(v -> reads.close()).compose(v -> users.deletions().close()).compose(v -> insights.close())
        .compose(v -> alerts.close())
        .recover(ignored -> Future.succeededFuture());
  }
}
