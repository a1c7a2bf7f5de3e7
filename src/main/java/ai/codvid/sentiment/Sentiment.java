package ai.codvid.sentiment;

import io.vertx.core.json.JsonObject;

/**
 * The sentiment of one text.
 *
 * @param label "positive" | "negative" | "neutral"
 * @param score the classifier's confidence in the label, 0..1
 * @param language detected ISO 639-1 code, or null when undetermined
 */
public record Sentiment(String label, double score, String language) {

  public static final String POSITIVE = "positive";
  public static final String NEGATIVE = "negative";
  public static final String NEUTRAL = "neutral";

  public JsonObject toJson() {
    return new JsonObject().put("label", label).put("score", score).put("language", language);
  }

  public static Sentiment fromJson(JsonObject json) {
    return new Sentiment(json.getString("label", NEUTRAL), json.getDouble("score", 0.0), json.getString("language"));
  }
}
