package ai.codvid.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pure parts of insights: text features, the definitions, ranks, CSV cells, retention, the cache. */
@DisplayName("Insights figures")
class InsightsFiguresTest {

  private final TextFeatures text = TextFeatures.shared();

  @Test
  @DisplayName("ZWJ sequences, skin tones, flags and keycaps are one emoji each; a text-style heart counts as ❤️; repeats count once per comment")
  void emoji() {
    TextFeatures.Features f = text.of("👨‍👩‍👧 family! 👍🏽👍🏽 🇧🇷 1️⃣ ❤ 😂😂😂 © 2024 #1 5", "en");
    assertEquals(List.of("👨‍👩‍👧", "👍🏽", "🇧🇷", "1️⃣", "❤️", "😂"), f.emoji());
  }

  @Test
  @DisplayName("terms drop the stop words of the comment's language, mentions, URLs and hashtags; hashtags are listed apart")
  void terms() {
    assertEquals(List.of("love", "colours", "great"),
        text.of("I love the colours!!! @friend https://x.example/a #Summer great", "en").terms());
    assertEquals(List.of("#summer"), text.of("I love the colours #Summer #summer", "en").hashtags());
    assertEquals(List.of("lindo", "amei"), text.of("Que lindo, eu amei muito", "pt").terms());
    assertEquals(List.of("badhiya", "yaar"), text.of("Bahut badhiya hai yaar", "hi").terms(), "Hindi in Latin script");
    assertEquals(List.of("बहुत", "अच्छा"), text.of("यह बहुत अच्छा है", "hi").terms(), "Hindi in Devanagari: यह and है are stop words");
    assertEquals(List.of("encanta", "precio"), text.of("Me encanta, ¿y el precio?", "es").terms());
    assertEquals(List.of("love"), text.of("the love", null).terms(), "unknown language: the English list");
    assertTrue(text.of("你好，很好看", "zh").terms().size() >= 2, "Chinese is segmented into words, not kept whole");
    assertEquals(List.of("wait"), text.of("Can’t wait", "en").terms(), "a curly apostrophe reads as a straight one: can't is a stop word");
    assertEquals(List.of(), text.of("", "en").terms());
    assertEquals(List.of(), text.of("🔥🔥🔥", "en").terms());
  }

  @Test
  @DisplayName("stop-word lists ship for the eight required languages and more")
  void stopWordLists() {
    for (String language : List.of("en", "es", "pt", "fr", "de", "it", "ar", "hi")) {
      assertTrue(StopWords.shared().size(language) > 100, language);
    }
    assertTrue(StopWords.shared().contains("hi", "hai"));
    assertTrue(StopWords.shared().contains("fr", "les"));
    assertFalse(StopWords.shared().contains("en", "great"), "words that carry sentiment are kept");
  }

  private static PostPoint post(String id, Long likes, boolean hidden, Long comments, Long views) {
    return new PostPoint(id, "https://www.instagram.com/p/" + id + "/", "post", 1_000L, likes, hidden, comments, views, 1, 0, 0);
  }

  @Test
  @DisplayName("post ER is (likes + comments) / followers × 100; hidden likes count comments only; unknown counts give an unknown rate")
  void postRates() {
    assertEquals(4.25, Metrics.round2(post("a", 500L, false, 25L, null).engagementRate(12_345L)));
    assertEquals(0.2, Metrics.round2(post("b", null, true, 25L, null).engagementRate(12_345L)));
    assertNull(post("c", null, false, 25L, null).engagementRate(12_345L), "likes not stored at all: unknown, not hidden");
    assertNull(post("d", 10L, false, null, null).engagementRate(12_345L));
    assertNull(post("e", 10L, false, 5L, null).engagementRate(null));
    assertNull(post("f", 10L, false, 5L, null).engagementRate(0L));
    assertEquals(5.83, Metrics.round2(post("g", 500L, false, 25L, 9_000L).viewsEngagementRate()));
  }

  @Test
  @DisplayName("shares add up to 100.0, net sentiment is (positive − negative) / all, and no comments means unknown")
  void shares() {
    JsonObject s = Metrics.shares(1, 1, 1);
    assertEquals(100.0, s.getDouble("positive_pct") + s.getDouble("negative_pct") + s.getDouble("neutral_pct"), 1e-9);
    assertEquals(0.0, s.getDouble("net_sentiment"));
    assertEquals(-50.0, Metrics.shares(1, 3, 0).getDouble("net_sentiment"));
    assertNull(Metrics.shares(0, 0, 0).getValue("net_sentiment"));
  }

  @Test
  @DisplayName("ranks put the best first, share ties, leave unknown values unranked and rank the fewest negative comments first")
  void ranks() {
    List<JsonObject> profiles = new ArrayList<>();
    profiles.add(row("a", false, 100L, 2.0, 10.0));
    profiles.add(row("b", false, 300L, 2.0, 30.0));
    profiles.add(row("c", true, null, 1.0, null));
    JsonObject averages = Metrics.rankAndAverage(profiles);
    assertEquals(1, profiles.get(0).getJsonObject("rank").getInteger("engagement_rate"));
    assertEquals(1, profiles.get(1).getJsonObject("rank").getInteger("engagement_rate"));
    assertEquals(3, profiles.get(2).getJsonObject("rank").getInteger("engagement_rate"));
    assertEquals(2, profiles.get(0).getJsonObject("rank").getInteger("followers"));
    assertNull(profiles.get(2).getJsonObject("rank").getValue("followers"));
    assertEquals(1, profiles.get(0).getJsonObject("rank").getInteger("negative_pct"));
    assertEquals(200.0, averages.getJsonObject("own_average").getDouble("followers"));
    assertNull(averages.getJsonObject("competitor_average").getValue("followers"));
    assertEquals(1.67, averages.getJsonObject("landscape_average").getDouble("engagement_rate"));
  }

  private static JsonObject row(String id, boolean competitor, Long followers, Double er, Double negative) {
    return new JsonObject().put("task_id", id).put("is_competitor", competitor).put("followers", followers)
        .put("engagement_rate", er).put("negative_pct", negative);
  }

  @Test
  @DisplayName("CSV cells follow RFC 4180 and defuse formulas in text, not in numbers")
  void csvCells() {
    assertEquals("'=SUM(A1:A2)", Export.csvCell("=SUM(A1:A2)"));
    assertEquals("'+1", Export.csvCell("+1"));
    assertEquals("'-x", Export.csvCell("-x"));
    assertEquals("'@me", Export.csvCell("@me"));
    assertEquals("\"'=A1,B1\"", Export.csvCell("=A1,B1"));
    assertEquals("\"say \"\"hi\"\"\"", Export.csvCell("say \"hi\""));
    assertEquals("\"two\r\nlines\"", Export.csvCell("two\r\nlines"));
    assertEquals("-12.5", Export.csvCell(-12.5));
    assertEquals("100", Export.csvCell(100.0));
    assertEquals("", Export.csvCell(null));
    assertEquals("olá 😍", Export.csvCell("olá 😍"));
    assertEquals("a,,true\r\n", Export.csvRow(List.of("a", "", true)));
  }

  @Test
  @DisplayName("retention keeps at most N snapshots and none older than the limit, always the newest")
  void retention() {
    List<ScrapePoint> points = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      points.add(new ScrapePoint("s" + i, i * 86_400L, i * 86_400_000L, null, List.of(), 0, 0, 0));
    }
    assertEquals(List.of("s0", "s1", "s2"), ids(new Retention(2, 0).dropped(points, 5 * 86_400_000L)));
    assertEquals(List.of("s0", "s1"), ids(new Retention(0, 3).dropped(points, 5 * 86_400_000L)));
    assertEquals(List.of(), ids(new Retention(0, 0).dropped(points, 5 * 86_400_000L)));
    assertEquals(List.of("s0", "s1", "s2", "s3"), ids(new Retention(0, 1).dropped(points, 100 * 86_400_000L)));
  }

  private static List<String> ids(List<ScrapePoint> points) {
    return points.stream().map(ScrapePoint::snapshotId).toList();
  }

  @Test
  @DisplayName("the cache evicts the least recently used entries once their total weight passes the bound")
  void cache() {
    WeightedCache<String, String> cache = new WeightedCache<>(10);
    cache.put("a", "A", 4);
    cache.put("b", "B", 4);
    cache.get("a");
    cache.put("c", "C", 4);
    assertNull(cache.get("b"));
    assertEquals("A", cache.get("a"));
    assertEquals(8, cache.weight());
    cache.put("huge", "H", 11);
    assertNull(cache.get("huge"));
  }
}
