package ai.codvid.store;

import java.util.List;

/** MongoDB collection names. */
public final class Collections {

  public static final String USERS = "users";
  public static final String PROJECTS = "projects";
  public static final String PROFILE_TASKS = "profile_tasks";
  public static final String REEL_TASKS = "reel_tasks";
  public static final String TASK_HISTORY = "task_history";
  /** One document per task: the figures of each of its stored scrapes (insights). */
  public static final String INSIGHTS_SERIES = "insights_series";
  /** Ids of deleted accounts: no document of theirs may be created again (see {@link DeletedUsers}). */
  public static final String DELETED_USERS = "deleted_users";
  /** Alert rules, fired alerts and their pending webhook deliveries (alerts). */
  public static final String ALERT_RULES = "alert_rules";
  public static final String ALERTS = "alerts";
  public static final String ALERT_DELIVERIES = "alert_deliveries";

  /** Every collection whose documents carry a {@code user_id} and go when the account goes. */
  public static final List<String> OWNED_BY_USER = List.of(PROJECTS, PROFILE_TASKS, REEL_TASKS, TASK_HISTORY, INSIGHTS_SERIES,
      ALERT_DELIVERIES, ALERTS, ALERT_RULES);

  private Collections() {
  }
}
