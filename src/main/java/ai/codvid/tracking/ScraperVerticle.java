package ai.codvid.tracking;

import ai.codvid.Addresses;
import ai.codvid.FailureCode;
import ai.codvid.instagram.InstagramSource;
import ai.codvid.sentiment.SentimentClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.Set;
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

  private final MongoClient mongo;
  private final ProcessingRegistry registry;
  private final InstagramSource source;
  private final TrackingOptions options;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private TrackingTasks tasks;
  private SentimentClient sentiment;
  private MessageConsumer<JsonObject> consumer;

  public ScraperVerticle(MongoClient mongo, ProcessingRegistry registry, InstagramSource source, TrackingOptions options) {
    this.mongo = mongo;
    this.registry = registry;
    this.source = source;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    tasks = new TrackingTasks(mongo);
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
      running.add(runId);
      new ScrapeRun(vertx, registry, tasks, source, sentiment, options, kind, adopted.result())
          .execute()
          .onFailure(e -> LOG.error("Run {} of task {} ended abnormally", runId, taskId, e))
          .onComplete(done -> running.remove(runId));
    });
  }

  /** Stops taking new runs; runs in progress keep their claims until their leases expire. */
  @Override
  public Future<?> stop() {
    if (!running.isEmpty()) {
      LOG.info("Scraper stopping with {} run(s) in progress; their leases will expire and the tasks be retaken", running.size());
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
