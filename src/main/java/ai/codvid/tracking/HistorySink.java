package ai.codvid.tracking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Told about the history as it is written, so a derived view (the insights series) stays in
 * step without the tracking package depending on it.
 */
public interface HistorySink {

  /**
   * Figures kept in a new snapshot under {@code figures}, computed from its data; called on the
   * scraper's worker thread before the snapshot is stored. Null stores none.
   */
  JsonObject figures(TaskKind kind, JsonObject data, String snapshotId, long scrapedAt, long scrapedAtMs);

  /**
   * A successful scrape's snapshot was stored. {@code task} is the task document as it was
   * before this scrape. A failure is logged; the scrape has succeeded regardless.
   */
  Future<Void> stored(TaskKind kind, JsonObject task, JsonObject snapshot);

  /** A task was deleted together with its history. */
  Future<Void> deleted(String userId, String taskId);

  /** Keeps nothing. */
  HistorySink NONE = new HistorySink() {
    @Override
    public JsonObject figures(TaskKind kind, JsonObject data, String snapshotId, long scrapedAt, long scrapedAtMs) {
      return null;
    }

    @Override
    public Future<Void> stored(TaskKind kind, JsonObject task, JsonObject snapshot) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> deleted(String userId, String taskId) {
      return Future.succeededFuture();
    }
  };
}
