package ai.codvid.tracking;

import ai.codvid.Addresses;
import ai.codvid.FailureCode;
import ai.codvid.instagram.InstagramSource;
import ai.codvid.observability.CodvidMetrics;
import ai.codvid.sentiment.SentimentClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scraper worker: takes {@code {task_id, kind, run_id}} from {@link Addresses#SCRAPER_SCRAPE},
 * acknowledges at once, and runs the scrape. The run was claimed in the processing registry by
 * whoever sent the message; this worker adopts that claim and renews its lease while it works.
 * Deployed as a worker verticle, several instances per node.
 */
public final class ScraperVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ScraperVerticle.class);

  private final TrackingTasks tasks;
  private final ProcessingRegistry registry;
  private final InstagramSource source;
  private final TrackingOptions options;
  private final CodvidMetrics metrics;
  private final Map<String, ScrapeRun> running = new ConcurrentHashMap<>();
  private SentimentClient sentiment;
  private MessageConsumer<JsonObject> consumer;

  public ScraperVerticle(TrackingTasks tasks, ProcessingRegistry registry, InstagramSource source, TrackingOptions options,
      CodvidMetrics metrics) {
    this.metrics = metrics;
    this.tasks = tasks;
    this.registry = registry;
    this.source = source;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    sentiment = new SentimentClient(vertx, options.sentimentTimeoutMillis());
    consumer = vertx.eventBus().consumer(Addresses.SCRAPER_SCRAPE, this::scrape);
    return consumer.completion();
  }

  private void scrape(Message<JsonObject> message) {
    JsonObject body = message.body();
    String taskId = body == null ? null : body.getString("task_id");
    String runId = body == null ? null : body.getString("run_id");
    TaskKind kind;
    try {
      kind = TaskKind.fromWire(body == null ? null : body.getString("kind"));
    } catch (IllegalArgumentException e) {
      message.fail(FailureCode.BAD_REQUEST.status(), "kind must be profile or reel");
      return;
    }
    if (taskId == null || runId == null) {
      message.fail(FailureCode.BAD_REQUEST.status(), "task_id and run_id are required");
      return;
    }
    registry.adopt(taskId, runId).onComplete(adopted -> {
      if (adopted.failed() || adopted.result() == null) {
        message.fail(FailureCode.CONFLICT.status(), "The run is no longer claimed");
        return;
      }
      message.reply(new JsonObject().put("accepted", true));
      ScrapeRun run = new ScrapeRun(vertx, registry, tasks, source, sentiment, options, metrics, kind, adopted.result());
      running.put(runId, run);
      run.execute()
          .onFailure(e -> LOG.error("Run {} of task {} ended abnormally", runId, taskId, e))
          .onComplete(done -> running.remove(runId));
    });
  }

  /**
   * Stops taking new runs and hands the runs in progress back to the cluster (claims released,
   * tasks due at once), so another node continues them without waiting for a lease to expire.
   */
  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    if (running.isEmpty()) {
      return unregistered;
    }
    LOG.info("Scraper stopping: handing {} run(s) back to the cluster", running.size());
    List<Future<Void>> handBacks = running.values().stream().map(ScrapeRun::handBack).toList();
    running.clear();
    return unregistered.compose(v -> Future.join(handBacks)).recover(e -> Future.succeededFuture());
  }
}
