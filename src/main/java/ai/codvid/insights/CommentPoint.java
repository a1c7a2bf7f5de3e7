package ai.codvid.insights;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One classified comment as one scrape saw it, reduced to what comment insights count.
 *
 * @param key the comment's id, or {@code post|owner|text} when it has none: the same comment seen
 *     by several scrapes is counted once
 */
public record CommentPoint(String key, String label, String language, List<String> terms, List<String> emoji,
    List<String> hashtags) {

  /** Stored compactly: empty lists and an unknown language are left out. */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("key", key).put("label", label);
    if (language != null) {
      json.put("lang", language);
    }
    if (!terms.isEmpty()) {
      json.put("terms", new JsonArray(new ArrayList<>(terms)));
    }
    if (!emoji.isEmpty()) {
      json.put("emoji", new JsonArray(new ArrayList<>(emoji)));
    }
    if (!hashtags.isEmpty()) {
      json.put("tags", new JsonArray(new ArrayList<>(hashtags)));
    }
    return json;
  }

  static CommentPoint fromJson(JsonObject json) {
    String lang = json.getString("lang");
    return new CommentPoint(json.getString("key"), json.getString("label", "neutral").intern(), lang == null ? null : lang.intern(),
        strings(json.getJsonArray("terms")), strings(json.getJsonArray("emoji")), strings(json.getJsonArray("tags")));
  }

  private static List<String> strings(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(v -> out.add(String.valueOf(v).intern()));
    return List.copyOf(out);
  }
}
