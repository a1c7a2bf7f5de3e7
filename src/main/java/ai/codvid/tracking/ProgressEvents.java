package ai.codvid.tracking;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The event types of a scrape run and how one is built. */
public final class ProgressEvents {

  public static final String SCRAPE_STARTED = "scrape_started";
  public static final String ACCOUNT_FETCHED = "account_fetched";
  public static final String REELS_FILTERED = "reels_filtered";
  public static final String PROCESSING_REELS = "processing_reels";
  public static final String REELS_PROCESSED = "reels_processed";
  public static final String PROFILE_DATA_UPDATED = "profile_data_updated";
  public static final String SCRAPE_RETRYING = "scrape_retrying";
  public static final String SCRAPE_FAILED = "scrape_failed";
  public static final String SCRAPE_COMPLETED = "scrape_completed";

  /** {@code {timestamp, event_type, message, ...details}}; timestamp in epoch seconds. */
  public static JsonObject event(String type, String message, JsonObject details) {
    JsonObject event = new JsonObject()
        .put("timestamp", Instant.now().getEpochSecond())
        .put("event_type", type)
        .put("message", message);
    if (details != null) {
      details.forEach(e -> {
        if (!event.containsKey(e.getKey())) {
          event.put(e.getKey(), e.getValue());
        }
      });
    }
    return event;
  }

  public static boolean isFinal(String type) {
    return SCRAPE_COMPLETED.equals(type) || SCRAPE_FAILED.equals(type);
  }

  private ProgressEvents() {
  }
}
