package ai.codvid.tracking;

import ai.codvid.sentiment.Sentiment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Counts, one-decimal percentages that add up to exactly 100.0 (largest remainder), and the
 * overall sentiment: the largest class, neutral on a tie or when there are no comments.
 */
public final class SentimentSummary {

  private static final List<String> LABELS = List.of(Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.NEUTRAL);

  /** The summary of the comments' {@code sentiment} fields. */
  public static JsonObject of(List<JsonObject> comments) {
    long[] counts = new long[3];
    for (JsonObject comment : comments) {
      int index = LABELS.indexOf(comment.getString("sentiment", Sentiment.NEUTRAL));
      counts[index < 0 ? 2 : index]++;
    }
    long total = counts[0] + counts[1] + counts[2];
    JsonObject distribution = new JsonObject();
    JsonObject percentages = new JsonObject();
    double[] tenths = percentagesInTenths(counts, total);
    for (int i = 0; i < 3; i++) {
      distribution.put(LABELS.get(i), counts[i]);
      percentages.put(LABELS.get(i), tenths[i] / 10.0);
    }
    return new JsonObject()
        .put("total_comments", total)
        .put("sentiment_distribution", distribution)
        .put("sentiment_percentages", percentages)
        .put("overall_sentiment", overall(counts));
  }

  /**
   * One-decimal percentages of the three counts that add up to exactly 100.0 (largest
   * remainder); all 0.0 when every count is 0.
   */
  public static JsonObject percentages(long positive, long negative, long neutral) {
    long[] counts = {positive, negative, neutral};
    double[] tenths = percentagesInTenths(counts, positive + negative + neutral);
    JsonObject percentages = new JsonObject();
    for (int i = 0; i < 3; i++) {
      percentages.put(LABELS.get(i), tenths[i] / 10.0);
    }
    return percentages;
  }

  /** All comments of the stored data of a task (profile posts or the reel). */
  public static List<JsonObject> comments(JsonObject doc) {
    List<JsonObject> all = new java.util.ArrayList<>();
    JsonObject profile = doc.getJsonObject("target_profile_data");
    if (profile != null) {
      for (Object post : profile.getJsonArray("scraped_posts", new JsonArray())) {
        ((JsonObject) post).getJsonArray("top_comments", new JsonArray()).forEach(c -> all.add((JsonObject) c));
      }
    }
    JsonObject reel = doc.getJsonObject("reel_data");
    if (reel != null) {
      reel.getJsonArray("top_comments", new JsonArray()).forEach(c -> all.add((JsonObject) c));
    }
    return all;
  }

  private static double[] percentagesInTenths(long[] counts, long total) {
    double[] tenths = new double[3];
    if (total == 0) {
      return tenths;
    }
    long assigned = 0;
    double[] remainders = new double[3];
    for (int i = 0; i < 3; i++) {
      double exact = counts[i] * 1000.0 / total;
      tenths[i] = Math.floor(exact);
      remainders[i] = exact - tenths[i];
      assigned += (long) tenths[i];
    }
    for (long left = 1000 - assigned; left > 0; left--) {
      int best = 0;
      for (int i = 1; i < 3; i++) {
        if (remainders[i] > remainders[best]) {
          best = i;
        }
      }
      tenths[best]++;
      remainders[best] = -1;
    }
    return tenths;
  }

  private static String overall(long[] counts) {
    long max = Math.max(counts[0], Math.max(counts[1], counts[2]));
    int winners = 0;
    int winner = 2;
    for (int i = 0; i < 3; i++) {
      if (counts[i] == max) {
        winners++;
        winner = i;
      }
    }
    return max == 0 || winners > 1 ? Sentiment.NEUTRAL : LABELS.get(winner);
  }

  private SentimentSummary() {
  }
}
