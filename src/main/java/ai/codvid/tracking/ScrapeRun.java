package ai.codvid.tracking;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.instagram.InstagramComment;
import ai.codvid.observability.CodvidMetrics;
import ai.codvid.instagram.InstagramPost;
import ai.codvid.instagram.InstagramProfile;
import ai.codvid.instagram.InstagramSource;
import ai.codvid.sentiment.Sentiment;
import ai.codvid.sentiment.SentimentClient;
import ai.codvid.tracking.ProcessingRegistry.Claim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scrape of one task, run by a scraper worker: fetch from the data source, classify every
 * comment, store the data and a history snapshot, publishing each step as a progress event.
 * A failure keeps the last good data and records the error; the run's log is kept with the task.
 */
final class ScrapeRun {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeRun.class);

  private final Vertx vertx;
  private final ProcessingRegistry registry;
  private final TrackingTasks tasks;
  private final InstagramSource source;
  private final SentimentClient sentiment;
  private final TrackingOptions options;
  private final CodvidMetrics metrics;
  private final TaskKind kind;
  private final Claim claim;
  private final long startedMillis = System.currentTimeMillis();
  private JsonObject doc;
  private volatile boolean handedBack;

  ScrapeRun(Vertx vertx, ProcessingRegistry registry, TrackingTasks tasks, InstagramSource source,
      SentimentClient sentiment, TrackingOptions options, CodvidMetrics metrics, TaskKind kind, Claim claim) {
    this.vertx = vertx;
    this.registry = registry;
    this.tasks = tasks;
    this.source = source;
    this.sentiment = sentiment;
    this.options = options;
    this.metrics = metrics;
    this.kind = kind;
    this.claim = claim;
  }

  Future<Void> execute() {
    long renewal = vertx.setPeriodic(Math.max(100, registry.leaseMillis() / 3), id -> registry.renew(claim)
        .onSuccess(ours -> {
          if (ours && !handedBack) {
            tasks.renewLease(kind, claim.taskId(), registry.leaseMillis());
          }
        }));
    return tasks.findAny(kind, claim.taskId())
        .compose(found -> {
          if (found == null) {
            return Future.failedFuture(CodvidException.notFound("The task was deleted"));
          }
          doc = found;
          return tasks.markRunning(kind, found.getString("user_id"), claim.taskId(), registry.leaseMillis());
        })
        .compose(v -> {
          String trigger = claim.entry().getString("trigger", "manual");
          metrics.scrapeStarted(kind.wireName(), trigger);
          return record(ProgressEvents.SCRAPE_STARTED, "Scrape started for " + target() + " (" + trigger + ")",
              new JsonObject().put("trigger", trigger).put("target", target()));
        })
        .compose(v -> kind == TaskKind.PROFILE ? scrapeProfile() : scrapeReel())
        .transform(outcome -> finish(outcome.succeeded() ? null : outcome.cause()))
        .eventually(() -> {
          vertx.cancelTimer(renewal);
          return Future.succeededFuture();
        });
  }

  private String target() {
    return kind == TaskKind.PROFILE ? "@" + doc.getString("target_profile") : "reel " + doc.getString("reel_id");
  }

  private Future<Void> scrapeProfile() {
    String username = doc.getString("target_profile");
    return source.scrapeProfile(username, options.postsPerProfile(), options.commentsPerPost(), this::retrying)
        .compose(profile -> record(ProgressEvents.ACCOUNT_FETCHED,
                String.format(Locale.ROOT, "Fetched @%s: %s followers, %s posts%s", profile.username(),
                    profile.followers(), profile.postsCount(), profile.isPrivate() ? " (private profile)" : ""),
                new JsonObject().put("followers", profile.followers()).put("posts_count", profile.postsCount())
                    .put("is_private", profile.isPrivate()))
            .compose(v -> {
              long reels = profile.posts().stream().filter(p -> "reel".equals(p.type())).count();
              return record(ProgressEvents.REELS_FILTERED,
                  "Selected the " + profile.posts().size() + " most recent posts (" + reels + " reels)",
                  new JsonObject().put("selected_posts", profile.posts().size()).put("reels_count", reels));
            })
            .compose(v -> classify(profile.posts()))
            .compose(posts -> {
              JsonObject data = profile.toJson().put("scraped_posts", posts);
              List<JsonObject> comments = SentimentSummary.comments(new JsonObject().put("target_profile_data", data));
              return store(data, SentimentSummary.of(comments), posts.size(), comments.size());
            }));
  }

  private Future<Void> scrapeReel() {
    return source.scrapePost(doc.getString("reel_url"), options.commentsPerPost(), this::retrying)
        .compose(post -> record(ProgressEvents.ACCOUNT_FETCHED,
                "Fetched reel " + doc.getString("reel_id") + (post.ownerUsername() == null ? "" : " by @" + post.ownerUsername()),
                new JsonObject().put("likes", post.likesCount()).put("comments", post.commentsCount()))
            .compose(v -> classify(List.of(post)))
            .compose(posts -> {
              JsonObject classified = posts.getJsonObject(0);
              List<JsonObject> comments = new ArrayList<>();
              classified.getJsonArray("top_comments").forEach(c -> comments.add((JsonObject) c));
              JsonObject summary = SentimentSummary.of(comments);
              return store(reelData(classified, summary), summary, 1, comments.size());
            }));
  }

  static JsonObject reelData(JsonObject post, JsonObject summary) {
    JsonObject distribution = summary.getJsonObject("sentiment_distribution");
    return new JsonObject()
        .put("post_id", post.getString("post_id"))
        .put("short_code", post.getString("short_code"))
        .put("post_url", post.getString("post_url"))
        .put("owner_username", post.getString("owner_username"))
        .put("type", post.getString("type"))
        .put("caption", post.getString("caption"))
        .put("likes", post.getValue("likes_count"))
        .put("comments", post.getValue("comments_count"))
        .put("views", post.getValue("video_view_count"))
        .put("plays", post.getValue("video_play_count"))
        .put("timestamp", post.getValue("timestamp"))
        .put("hashtags", post.getJsonArray("hashtags"))
        .put("mentions", post.getJsonArray("mentions"))
        .put("top_comments", post.getJsonArray("top_comments"))
        .put("sentiment_analysis", new JsonObject()
            .put("positive", distribution.getLong("positive"))
            .put("negative", distribution.getLong("negative"))
            .put("neutral", distribution.getLong("neutral"))
            .put("overall_sentiment", summary.getString("overall_sentiment"))
            .put("total_comments", summary.getLong("total_comments"))
            .put("sentiment_percentages", summary.getJsonObject("sentiment_percentages")))
        .put("source", post.getString("source"));
  }

  /** The posts as JSON with every top comment carrying its sentiment, score and language. */
  private Future<JsonArray> classify(List<InstagramPost> posts) {
    List<String> texts = new ArrayList<>();
    posts.forEach(p -> p.comments().forEach(c -> texts.add(c.text() == null ? "" : c.text())));
    return record(ProgressEvents.PROCESSING_REELS,
            "Classifying " + texts.size() + " comments of " + posts.size() + (posts.size() == 1 ? " post" : " posts"),
            new JsonObject().put("posts", posts.size()).put("comments", texts.size()))
        .compose(v -> sentiment.classify(texts))
        .compose(labels -> {
          JsonArray result = new JsonArray();
          int i = 0;
          long[] counts = new long[3];
          for (InstagramPost post : posts) {
            JsonArray comments = new JsonArray();
            for (InstagramComment comment : post.comments()) {
              Sentiment s = labels.get(i++);
              counts[s.label().equals(Sentiment.POSITIVE) ? 0 : s.label().equals(Sentiment.NEGATIVE) ? 1 : 2]++;
              comments.add(comment.toJson()
                  .put("sentiment", s.label())
                  .put("sentiment_score", Math.round(s.score() * 1000) / 1000.0)
                  .put("language", s.language()));
            }
            result.add(post.toJson().put("top_comments", comments));
          }
          return record(ProgressEvents.REELS_PROCESSED,
              String.format(Locale.ROOT, "Classified %d comments: %d positive, %d negative, %d neutral",
                  texts.size(), counts[0], counts[1], counts[2]),
              new JsonObject().put("comments_classified", texts.size())
                  .put("positive", counts[0]).put("negative", counts[1]).put("neutral", counts[2]))
              .map(result);
        });
  }

  /** This run's lease expired and another run took the task over: it must write nothing more. */
  static final class LostClaim extends RuntimeException {
    LostClaim() {
      super("the run lost its claim", null, false, false);
    }
  }

  /**
   * Gives the task back to the cluster when this node shuts down: the run stops writing, the
   * task is made due at once and its claim released, so another node's scheduler takes it.
   */
  Future<Void> handBack() {
    handedBack = true;
    String message = "The node running this scrape is shutting down; the scrape is handed back to the cluster";
    return registry.record(claim, ProgressEvents.event(ProgressEvents.SCRAPE_RETRYING, message,
            new JsonObject().put("handed_back", true)))
        .compose(v -> tasks.handBack(kind, claim.entry().getString("user_id"), claim.taskId()))
        .recover(e -> Future.succeededFuture())
        .compose(v -> registry.release(claim));
  }

  private Future<Void> store(JsonObject data, JsonObject summary, int posts, int comments) {
    return registry.renew(claim).compose(stillOurs -> {
      if (!stillOurs || handedBack) {
        return Future.failedFuture(new LostClaim());
      }
      return tasks.storeSuccess(kind, doc, data, summary);
    }).compose(stored -> stored
        ? record(ProgressEvents.PROFILE_DATA_UPDATED,
            "Stored " + posts + (posts == 1 ? " post" : " posts") + " and " + comments + " comments",
            new JsonObject().put("scraped_posts_count", posts).put("comments_count", comments))
        : Future.failedFuture(CodvidException.notFound("The task was deleted during the scrape")));
  }

  private void retrying(int attempt, long delayMillis, String reason) {
    metrics.upstreamRetry(reason);
    record(ProgressEvents.SCRAPE_RETRYING,
        "Upstream " + reason + "; retrying in " + delayMillis + " ms (attempt " + (attempt + 1) + ")",
        new JsonObject().put("attempt", attempt).put("delay_ms", delayMillis).put("reason", reason));
  }

  private Future<Void> finish(Throwable failure) {
    long millis = System.currentTimeMillis() - startedMillis;
    if (handedBack) {
      metrics.scrapeEnded(kind.wireName(), "handed_back", millis);
      return Future.succeededFuture();
    }
    if (failure instanceof LostClaim) {
      metrics.scrapeEnded(kind.wireName(), "lost_claim", millis);
      LOG.warn("Run {} of task {} lost its claim to another run; its results were dropped", claim.runId(), claim.taskId());
      return Future.succeededFuture();
    }
    Future<Void> outcome;
    String status;
    metrics.scrapeEnded(kind.wireName(), failure == null ? "completed" : "failed", millis);
    if (failure == null) {
      status = "completed";
      outcome = record(ProgressEvents.SCRAPE_COMPLETED,
          String.format(Locale.ROOT, "Scrape completed in %.1f s", millis / 1000.0),
          new JsonObject().put("duration_ms", millis));
    } else {
      status = "failed";
      String message = failure instanceof CodvidException ? failure.getMessage() : "Internal error during the scrape";
      if (!(failure instanceof CodvidException)) {
        LOG.error("Scrape of task {} failed", claim.taskId(), failure);
      } else {
        LOG.info("Scrape of task {} failed: {}", claim.taskId(), message);
      }
      Future<Void> stored = doc == null ? Future.succeededFuture()
          : tasks.storeFailure(kind, doc, message, options.firstRetrySeconds()).recover(e -> Future.succeededFuture());
      outcome = stored.compose(v -> record(ProgressEvents.SCRAPE_FAILED, message, new JsonObject().put("error", message)))
          .onComplete(v -> failed(message));
    }
    return outcome
        .compose(v -> doc == null ? Future.<Void>succeededFuture() : tasks.storeLastRun(kind, claim.taskId(), claim.lastRun(status)))
        .recover(e -> {
          LOG.warn("Could not keep the log of run {} of task {}: {}", claim.runId(), claim.taskId(), e.toString());
          return Future.succeededFuture();
        })
        .compose(v -> registry.release(claim));
  }

  /** Tells whoever listens (alert rules on failed scrapes) that this run failed. */
  private void failed(String message) {
    if (doc != null) {
      vertx.eventBus().publish(Addresses.SCRAPES_FAILED, new JsonObject().put("task_id", claim.taskId())
          .put("user_id", doc.getString("user_id")).put("kind", kind.wireName()).put("run_id", claim.runId())
          .put("error", message).put("consecutive_failures", doc.getInteger("consecutive_failures", 0) + 1));
    }
  }

  private Future<Void> record(String type, String message, JsonObject details) {
    return registry.record(claim, ProgressEvents.event(type, message, details)).mapEmpty();
  }
}
