package ai.codvid.alerts;

import ai.codvid.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs alerts on one node (deploy one instance): evaluates rules after the scrapes this node
 * stored or saw fail — local consumers of {@link Addresses#INSIGHTS_UPDATED} and
 * {@link Addresses#SCRAPES_FAILED}, which are published by the node that ran the scrape, so each
 * scrape is evaluated once however many nodes run — and takes due webhook deliveries from the
 * store every {@code alerts.delivery_poll_ms}.
 */
public final class AlertsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);

  private final AlertService alerts;
  private MessageConsumer<JsonObject> scraped;
  private MessageConsumer<JsonObject> failed;
  private long poller = -1;

  public AlertsVerticle(AlertService alerts) {
    this.alerts = alerts;
  }

  @Override
  public Future<?> start() {
    scraped = vertx.eventBus().<JsonObject>localConsumer(Addresses.INSIGHTS_UPDATED, message -> alerts.scraped(message.body())
        .onFailure(e -> LOG.warn("Alert rules of task {} not evaluated: {}", message.body().getString("task_id"), e.toString())));
    failed = vertx.eventBus().<JsonObject>localConsumer(Addresses.SCRAPES_FAILED, message -> alerts.scrapeFailed(message.body())
        .onFailure(e -> LOG.warn("scrape_failed rules of task {} not evaluated: {}", message.body().getString("task_id"), e.toString())));
    poller = vertx.setPeriodic(alerts.options().pollMillis(), id -> alerts.delivery().poll());
    return Future.all(scraped.completion(), failed.completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(poller);
    alerts.delivery().stop();
    return Future.join(scraped.unregister(), failed.unregister());
  }
}
