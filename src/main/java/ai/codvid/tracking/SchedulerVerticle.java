package ai.codvid.tracking;

import ai.codvid.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes due tasks automatically. Every tick it claims due, active tasks one at a time with an
 * atomic findOneAndUpdate that leases the task to this node, so with any number of nodes
 * ticking each due task is scraped once per due time. Paused tasks are never claimed.
 */
public final class SchedulerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);

  private final TrackingService tracking;
  private final TrackingOptions options;
  private final String nodeId;
  private long timer = -1;
  private boolean ticking;

  public SchedulerVerticle(TrackingService tracking, TrackingOptions options, String nodeId) {
    this.tracking = tracking;
    this.options = options;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(Math.min(5_000, options.schedulerIntervalMillis()), options.schedulerIntervalMillis(), id -> tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** One pass over both kinds; a pass still running makes the next tick a no-op. */
  Future<Integer> tick() {
    if (ticking) {
      return Future.succeededFuture(0);
    }
    ticking = true;
    return claimAll(TaskKind.PROFILE, 0)
        .compose(profiles -> claimAll(TaskKind.REEL, 0).map(reels -> profiles + reels))
        .onSuccess(started -> {
          if (started > 0) {
            LOG.info("Scheduler started {} scrape(s)", started);
          }
        })
        .onFailure(e -> {
          if (MongoErrors.isOutOfSpace(e)) {
            LOG.debug("Scheduler tick skipped: the store refuses writes");
          } else {
            LOG.warn("Scheduler tick failed: {}", e.toString());
          }
        })
        .eventually(() -> {
          ticking = false;
          return Future.succeededFuture();
        });
  }

  private Future<Integer> claimAll(TaskKind kind, int started) {
    if (started >= options.schedulerBatch()) {
      return Future.succeededFuture(started);
    }
    TrackingTasks tasks = tracking.tasks();
    return tasks.claimDue(kind, options.leaseMillis(), nodeId).compose(doc -> {
      if (doc == null) {
        return Future.succeededFuture(started);
      }
      return startIfStillDue(kind, doc).compose(ran -> claimAll(kind, started + (ran ? 1 : 0)));
    });
  }

  private Future<Boolean> startIfStillDue(TaskKind kind, JsonObject doc) {
    return tracking.registry().claim(doc.getString("_id"), kind, doc.getString("user_id"), "scheduled").compose(claim -> {
      if (claim == null) {
        return Future.succeededFuture(false);
      }
      // a run that ended between our claim in the store and in the registry has moved the due time on
      return tracking.tasks().stillDue(kind, doc.getString("_id")).compose(due -> {
        if (!due) {
          return tracking.registry().release(claim).map(false);
        }
        tracking.dispatch(kind, claim);
        return Future.succeededFuture(true);
      });
    }).recover(e -> {
      LOG.warn("Could not start the scheduled scrape of task {}: {}", doc.getString("_id"), e.toString());
      return Future.succeededFuture(false);
    });
  }
}
