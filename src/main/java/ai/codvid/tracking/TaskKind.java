package ai.codvid.tracking;

import ai.codvid.store.Collections;

/** The two kinds of tracking task: a profile of the user's, or a reel inside one of their projects. */
public enum TaskKind {
  PROFILE("profile", Collections.PROFILE_TASKS, "Task scraping initiated successfully"),
  REEL("reel", Collections.REEL_TASKS, "Reel tracking task scraping initiated successfully");

  private final String wireName;
  private final String collection;
  private final String initiatedMessage;

  TaskKind(String wireName, String collection, String initiatedMessage) {
    this.wireName = wireName;
    this.collection = collection;
    this.initiatedMessage = initiatedMessage;
  }

  public String wireName() {
    return wireName;
  }

  public String collection() {
    return collection;
  }

  public String initiatedMessage() {
    return initiatedMessage;
  }

  public static TaskKind fromWire(String name) {
    for (TaskKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown task kind " + name);
  }
}
