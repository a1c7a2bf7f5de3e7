package ai.codvid;

/**
 * Every event-bus address of the application, in one place.
 *
 * <p>Messages are {@link io.vertx.core.json.JsonObject}s so every node of a cluster reads them
 * without codecs. Failures travel as {@code message.fail(code, text)} with a {@link FailureCode}.
 */
public final class Addresses {

  /** Scraper workers: {@code {task_id, kind, user_id}} → the run's outcome. */
  public static final String SCRAPER_SCRAPE = "codvid.scraper.scrape";

  /** Sentiment verticle: {@code {texts: [..]}} → {@code {results: [{label, score, language?}]}}. */
  public static final String SENTIMENT_CLASSIFY = "codvid.sentiment.classify";

  /** Published when an account is deleted, so every node forgets its sessions at once. */
  public static final String USERS_DELETED = "codvid.users.deleted";

  /** Published when a user's tracking tasks change, so every node drops its cached task list. */
  public static final String TASKS_CHANGED = "codvid.tasks.changed";

  /**
   * Published after a successful scrape's figures joined the task's insights series:
   * {@code {task_id, user_id, kind, scraped_at_ms}}. Every node drops its cached series of the
   * task; rules on the figures (alerts) are evaluated from here.
   */
  public static final String INSIGHTS_UPDATED = "codvid.insights.updated";

  /**
   * Published when a scrape run fails (the task's last good data kept):
   * {@code {task_id, user_id, kind, run_id, error, consecutive_failures}}. Rules on failed
   * scrapes (alerts) are evaluated from here, by a local consumer on the node that ran it.
   */
  public static final String SCRAPES_FAILED = "codvid.scrapes.failed";

  /** Fired alerts of one user are published on {@code codvid.alerts.<userId>}, for the user's live sockets. */
  public static final String ALERTS_PREFIX = "codvid.alerts.";

  public static String alerts(String userId) {
    return ALERTS_PREFIX + userId;
  }

  /** Progress events of one task run are published on {@code codvid.progress.<taskId>}. */
  public static final String PROGRESS_PREFIX = "codvid.progress.";

  public static String progress(String taskId) {
    return PROGRESS_PREFIX + taskId;
  }

  private Addresses() {
  }
}
