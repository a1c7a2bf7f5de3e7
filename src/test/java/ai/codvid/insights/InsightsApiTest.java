package ai.codvid.insights;

import static ai.codvid.insights.InsightsFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.ai.ChatTools;
import ai.codvid.fakes.FakeApify;
import ai.codvid.store.Collections;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The insights, benchmark and export endpoints on one node against the fake Apify. Every
 * expected figure is worked out by hand from the fake's data (FakeApify: 12,345 followers; the
 * three newest posts are a reel with 500 likes, 9,000 plays; a carousel with 200 likes; an image
 * with hidden likes; 25 comments each).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Insights API")
class InsightsApiTest {

  private InsightsFixture f;

  @BeforeAll
  void start() throws Exception {
    f = InsightsFixture.start(new JsonObject());
  }

  @AfterAll
  void stop() throws Exception {
    f.close();
  }

  private static double er(long engagement, long base) {
    return engagement * 100.0 / base;
  }

  private static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  private static double round1(double v) {
    return Math.round(v * 10.0) / 10.0;
  }

  /** Counts the labels of the comments of get_task's data: [positive, negative, neutral]. */
  private static long[] labels(JsonObject task) {
    long[] counts = new long[3];
    JsonObject data = task.getJsonObject("target_profile_data", task.getJsonObject("reel_data"));
    JsonArray posts = data.containsKey("scraped_posts") ? data.getJsonArray("scraped_posts") : new JsonArray().add(data);
    for (Object p : posts) {
      for (Object c : ((JsonObject) p).getJsonArray("top_comments")) {
        String label = ((JsonObject) c).getString("sentiment");
        counts[label.equals("positive") ? 0 : label.equals("negative") ? 1 : 2]++;
      }
    }
    return counts;
  }

  @Test
  @DisplayName("a profile's ER, hidden likes, averages, sentiment shares, growth and series match a hand computation over two scrapes")
  void profileFigures() throws Exception {
    String token = f.signup("figures@example.com");
    String id = f.createProfile(token, "alice", false);
    JsonObject first = f.scrape(token, id);
    f.fake.profile("alice", FakeApify.profileItem("alice").put("followersCount", 13_000));
    JsonObject second = f.scrape(token, id);

    JsonObject r = f.ok("/ig-tracking/insights/" + id + "?window_days=30", token);
    assertEquals(id, r.getString("task_id"));
    assertEquals("profile", r.getString("task_type"));
    assertEquals(30, r.getInteger("window_days"));

    // latest (second scrape, 13,000 followers): (500+25), (200+25), hidden likes → 25 comments only
    JsonObject latest = r.getJsonObject("latest");
    assertEquals(13_000L, latest.getLong("followers"));
    double expectedEr = round2((er(525, 13_000) + er(225, 13_000) + er(25, 13_000)) / 3);
    assertEquals(1.99, expectedEr);
    assertEquals(expectedEr, latest.getDouble("engagement_rate"));
    assertEquals(350.0, latest.getDouble("avg_likes"), "hidden likes are left out of the average, not counted as 0");
    assertEquals(25.0, latest.getDouble("avg_comments"));
    assertEquals(9_000.0, latest.getDouble("avg_views"), "the reel's plays, the number Instagram shows");
    assertEquals(round2(er(525, 9_000)), latest.getDouble("views_engagement_rate"));
    assertEquals(1L, latest.getLong("posts_with_hidden_likes"));

    long[] counts = labels(second);
    long all = counts[0] + counts[1] + counts[2];
    assertEquals(30, all);
    assertEquals(all, latest.getLong("comments"));
    assertEquals(round1((counts[0] - counts[1]) * 100.0 / all), latest.getDouble("net_sentiment"));
    JsonObject summary = f.ok("/ig-tracking/sentiment_summary/" + id, token).getJsonObject("sentiment_summary")
        .getJsonObject("sentiment_percentages");
    assertEquals(summary.getDouble("positive"), latest.getDouble("positive_pct"));
    assertEquals(summary.getDouble("negative"), latest.getDouble("negative_pct"));
    assertEquals(summary.getDouble("neutral"), latest.getDouble("neutral_pct"));

    // the AI chat's tool reports the same figures (one implementation)
    String userId = await(f.app.services().mongo.findOne(Collections.PROFILE_TASKS, new JsonObject().put("_id", id), null))
        .getString("user_id");
    JsonObject tool = await(new ChatTools(f.app.services().tracking.tasks())
        .call(userId, "any", ChatTools.PROFILE_SUMMARY, "{\"profile\": \"alice\"}"));
    assertEquals(latest.getDouble("engagement_rate"), tool.getDouble("engagement_rate_percent"));
    assertEquals(350.0, tool.getDouble("avg_likes_per_post"));
    assertEquals(latest.getDouble("net_sentiment"), tool.getDouble("net_sentiment"));

    // posts of the last scrape, with the hidden-likes one
    JsonArray posts = r.getJsonArray("posts");
    assertEquals(3, posts.size());
    JsonObject hidden = posts.stream().map(JsonObject.class::cast).filter(p -> p.getBoolean("likes_hidden")).findFirst().orElseThrow();
    assertNull(hidden.getValue("likes"));
    assertEquals(round2(er(25, 13_000)), hidden.getDouble("engagement_rate"));
    JsonObject reel = posts.stream().map(JsonObject.class::cast).filter(p -> "reel".equals(p.getString("type"))).findFirst().orElseThrow();
    assertEquals(round2(er(525, 13_000)), reel.getDouble("engagement_rate"));
    assertEquals(9_000L, reel.getLong("views"));

    // growth between the two scrapes
    JsonObject growth = r.getJsonObject("growth");
    assertEquals(12_345L, growth.getLong("followers_start"));
    assertEquals(13_000L, growth.getLong("followers_end"));
    assertEquals(655L, growth.getLong("followers_change"));
    assertEquals(round2(655 * 100.0 / 12_345), growth.getDouble("followers_change_pct"));
    assertEquals(5.31, growth.getDouble("followers_change_pct"));

    // one series point per scrape, oldest first
    JsonArray series = r.getJsonArray("series");
    assertEquals(2, series.size());
    assertEquals(12_345L, series.getJsonObject(0).getLong("followers"));
    assertEquals(round2((er(525, 12_345) + er(225, 12_345) + er(25, 12_345)) / 3), series.getJsonObject(0).getDouble("engagement_rate"));
    assertEquals(2.09, series.getJsonObject(0).getDouble("engagement_rate"));
    assertEquals(expectedEr, series.getJsonObject(1).getDouble("engagement_rate"));
    assertTrue(series.getJsonObject(0).getLong("scraped_at") <= series.getJsonObject(1).getLong("scraped_at"));
    long[] firstCounts = labels(first);
    assertEquals(round1((firstCounts[0] - firstCounts[1]) * 100.0 / 30), series.getJsonObject(0).getDouble("net_sentiment"));

    // the window: the same three posts seen twice count once, each with its latest followers
    JsonObject window = r.getJsonObject("window");
    assertEquals(2, window.getInteger("scrapes"));
    assertEquals(3, window.getInteger("posts"));
    assertEquals(expectedEr, window.getDouble("engagement_rate"));
    assertEquals(0, window.getInteger("posts_published"), "the fake's posts are from 2025, outside a 30-day window");
    assertEquals(0.0, window.getDouble("posts_per_week"));

    // comment insights: the same 30 comments seen by both scrapes count once; 🔥🔥🔥 is one use of 🔥
    JsonObject insights = r.getJsonObject("comment_insights");
    assertEquals(30, insights.getInteger("comments"));
    long fire = comments(second).stream().filter(c -> c.getString("text").equals("🔥🔥🔥")).count();
    assertTrue(fire > 0);
    assertEquals(fire, count(insights.getJsonArray("emoji"), "emoji", "🔥"));
    JsonArray allTerms = new JsonArray();
    insights.getJsonObject("terms").forEach(e -> allTerms.addAll((JsonArray) e.getValue()));
    for (String stop : List.of("is", "this", "where")) {
      assertEquals(0, count(allTerms, "term", stop), stop + " is an English stop word");
    }
    String terribleLabel = comments(second).stream().filter(c -> c.getString("text").startsWith("This is terrible"))
        .map(c -> c.getString("sentiment")).findFirst().orElseThrow();
    long terrible = comments(second).stream().filter(c -> c.getString("text").startsWith("This is terrible")).count();
    assertEquals(terrible, count(insights.getJsonObject("terms").getJsonArray(terribleLabel), "term", "terrible"));
  }

  private static List<JsonObject> comments(JsonObject task) {
    List<JsonObject> out = new ArrayList<>();
    task.getJsonObject("target_profile_data").getJsonArray("scraped_posts")
        .forEach(p -> ((JsonObject) p).getJsonArray("top_comments").forEach(c -> out.add((JsonObject) c)));
    return out;
  }

  private static long count(JsonArray entries, String key, String value) {
    return entries.stream().map(JsonObject.class::cast).filter(e -> value.equals(e.getString(key)))
        .mapToLong(e -> e.getLong("count")).sum();
  }

  @Test
  @DisplayName("a single scrape has no growth yet; a private profile and one with no posts have followers but no ER or shares")
  void singleScrapePrivateAndEmpty() throws Exception {
    String token = f.signup("edges@example.com");
    String single = f.createProfile(token, "single.shot", false);
    f.scrape(token, single);
    JsonObject one = f.ok("/ig-tracking/insights/" + single, token);
    assertEquals(1, one.getJsonArray("series").size());
    assertEquals(12_345L, one.getJsonObject("growth").getLong("followers_start"));
    assertNull(one.getJsonObject("growth").getValue("followers_change"), "growth needs two scrapes");
    assertNull(one.getJsonObject("growth").getValue("followers_change_pct"));

    f.fake.privateProfile("hidden.one");
    String priv = f.createProfile(token, "hidden.one", false);
    f.scrape(token, priv);
    f.fake.profile("no.posts", FakeApify.profileItem("no.posts").put("latestPosts", new JsonArray()));
    String empty = f.createProfile(token, "no.posts", false);
    f.scrape(token, empty);
    for (String id : List.of(priv, empty)) {
      JsonObject r = f.ok("/ig-tracking/insights/" + id, token);
      JsonObject latest = r.getJsonObject("latest");
      assertEquals(12_345L, latest.getLong("followers"));
      assertEquals(0, latest.getInteger("posts"));
      assertEquals(0, latest.getInteger("comments"));
      for (String unknown : List.of("engagement_rate", "avg_likes", "avg_comments", "avg_views", "positive_pct",
          "negative_pct", "neutral_pct", "net_sentiment")) {
        assertTrue(latest.containsKey(unknown) && latest.getValue(unknown) == null, unknown + " is unknown, not 0");
      }
      assertEquals(0, r.getJsonArray("posts").size());
      assertEquals(0, r.getJsonObject("comment_insights").getInteger("comments"));
      assertNull(r.getJsonObject("window").getValue("engagement_rate"));
    }
  }

  @Test
  @DisplayName("a reel task has no followers, so its ER by followers is unknown and its views-based ER is (likes + comments) / plays")
  void reelTask() throws Exception {
    String token = f.signup("reels@example.com");
    String id = f.createReel(token, "launch", "https://www.instagram.com/reel/RL1abc/");
    f.scrape(token, id);
    JsonObject r = f.ok("/ig-tracking/insights/" + id + "?window_days=7", token);
    assertEquals("reel", r.getString("task_type"));
    assertEquals("https://www.instagram.com/reel/RL1abc/", r.getString("reel_url"));
    JsonObject latest = r.getJsonObject("latest");
    assertNull(latest.getValue("followers"));
    assertNull(latest.getValue("engagement_rate"));
    assertEquals(round2(er(525, 9_000)), latest.getDouble("views_engagement_rate"));
    assertEquals(5.83, latest.getDouble("views_engagement_rate"));
    assertEquals(500.0, latest.getDouble("avg_likes"));
    assertEquals(1, r.getJsonArray("posts").size());
    assertNull(r.getJsonObject("growth").getValue("followers_change"));
  }

  @Test
  @DisplayName("a scrape stored before insights existed is read from its data: missing followers are unknown, and outside the window it is an empty window")
  void legacySnapshotAndEmptyWindow() throws Exception {
    String token = f.signup("legacy@example.com");
    String id = f.createProfile(token, "old.timer", false);
    MongoClient mongo = f.app.services().mongo;
    JsonObject task = await(mongo.findOne(Collections.PROFILE_TASKS, new JsonObject().put("_id", id), null));
    long at = Instant.now().getEpochSecond() - 40 * 86_400L;
    JsonObject comment = new JsonObject().put("comment_id", "L1-c1").put("text", "Lindo demais #viagem 👍🏽")
        .put("sentiment", "positive").put("sentiment_score", 0.9).put("language", "pt").put("likes_count", 2L);
    JsonObject post = new JsonObject().put("post_id", "L1").put("post_url", "https://www.instagram.com/p/L1/").put("type", "post")
        .put("timestamp", at - 3600).put("likes_count", 10L).put("comments_count", 5L).put("top_comments", new JsonArray().add(comment));
    await(mongo.insert(Collections.TASK_HISTORY, new JsonObject().put("_id", "legacy-1").put("task_id", id)
        .put("user_id", task.getString("user_id")).put("kind", "profile").put("scraped_at", at).put("scraped_at_ms", at * 1000)
        .put("data", new JsonObject().put("username", "old.timer").put("scraped_posts", new JsonArray().add(post)))));
    await(mongo.updateCollection(Collections.PROFILE_TASKS, new JsonObject().put("_id", id),
        new JsonObject().put("$set", new JsonObject().put("last_scraped", at))));
    f.app.services().tracking.tasks().reads().changed(task.getString("user_id"));

    JsonObject empty = f.ok("/ig-tracking/insights/" + id + "?window_days=30", token);
    assertNull(empty.getValue("latest"));
    assertEquals(0, empty.getJsonArray("series").size());
    assertEquals(0, empty.getJsonArray("posts").size());
    assertNull(empty.getJsonObject("growth").getValue("followers_start"));
    assertNull(empty.getJsonObject("window").getValue("engagement_rate"));
    assertNull(empty.getJsonObject("window").getValue("posts_per_week"));
    assertEquals(0, empty.getJsonObject("comment_insights").getInteger("comments"));

    JsonObject r = f.ok("/ig-tracking/insights/" + id + "?window_days=60", token);
    JsonObject latest = r.getJsonObject("latest");
    assertNull(latest.getValue("followers"), "a snapshot without followers has unknown followers, not 0");
    assertNull(latest.getValue("engagement_rate"));
    assertEquals(10.0, latest.getDouble("avg_likes"));
    assertEquals(100.0, latest.getDouble("positive_pct"));
    assertEquals(1, r.getJsonObject("window").getInteger("posts_published"));
    assertEquals(round2(1 * 7.0 / 60), r.getJsonObject("window").getDouble("posts_per_week"));
    JsonObject insights = r.getJsonObject("comment_insights");
    assertEquals(1, count(insights.getJsonArray("emoji"), "emoji", "👍🏽"), "a skin-toned emoji is one emoji");
    assertEquals(1, count(insights.getJsonArray("hashtags"), "hashtag", "#viagem"));
    assertEquals(1, count(insights.getJsonObject("terms").getJsonArray("positive"), "term", "lindo"));
    assertEquals(0, count(insights.getJsonObject("terms").getJsonArray("positive"), "term", "demais"), "a Portuguese stop word");
  }

  @Test
  @DisplayName("benchmark ranks each profile per metric and averages own profiles, competitors and all of them")
  void benchmark() throws Exception {
    String token = f.signup("bench@example.com");
    String a = f.createProfile(token, "bench.a", false);
    f.fake.profile("bench.b", FakeApify.profileItem("bench.b").put("followersCount", 1_000));
    String b = f.createProfile(token, "bench.b", false);
    f.fake.privateProfile("bench.c");
    String c = f.createProfile(token, "bench.c", true);
    String never = f.createProfile(token, "bench.never", true);
    for (String id : List.of(a, b, c)) {
      f.scrape(token, id);
    }
    JsonObject r = f.ok("/ig-tracking/benchmark?window_days=30", token);
    assertEquals(30, r.getInteger("window_days"));
    Map<String, JsonObject> rows = new TreeMap<>();
    r.getJsonArray("profiles").forEach(p -> rows.put(((JsonObject) p).getString("task_id"), (JsonObject) p));
    assertEquals(4, rows.size());
    double erA = round2((er(525, 12_345) + er(225, 12_345) + er(25, 12_345)) / 3);
    double erB = round2((er(525, 1_000) + er(225, 1_000) + er(25, 1_000)) / 3);
    assertEquals(2.09, erA);
    assertEquals(25.83, erB);
    assertEquals(erA, rows.get(a).getDouble("engagement_rate"));
    assertEquals(erB, rows.get(b).getDouble("engagement_rate"));
    assertNull(rows.get(c).getValue("engagement_rate"));
    assertEquals("bench.c", rows.get(c).getString("target_profile"));
    assertTrue(rows.get(c).getBoolean("is_competitor"));
    assertNull(rows.get(never).getValue("followers"));

    assertEquals(1, rows.get(b).getJsonObject("rank").getInteger("engagement_rate"));
    assertEquals(2, rows.get(a).getJsonObject("rank").getInteger("engagement_rate"));
    assertNull(rows.get(c).getJsonObject("rank").getValue("engagement_rate"));
    assertEquals(1, rows.get(a).getJsonObject("rank").getInteger("followers"));
    assertEquals(1, rows.get(c).getJsonObject("rank").getInteger("followers"), "ties share a rank");
    assertEquals(3, rows.get(b).getJsonObject("rank").getInteger("followers"));

    JsonObject own = r.getJsonObject("own_average");
    assertEquals(2, own.getInteger("profiles"));
    assertEquals(6_672.5, own.getDouble("followers"));
    assertEquals(round2((erA + erB) / 2), own.getDouble("engagement_rate"));
    JsonObject competitors = r.getJsonObject("competitor_average");
    assertEquals(2, competitors.getInteger("profiles"));
    assertEquals(12_345.0, competitors.getDouble("followers"));
    assertNull(competitors.getValue("engagement_rate"));
    JsonObject landscape = r.getJsonObject("landscape_average");
    assertEquals(4, landscape.getInteger("profiles"));
    assertEquals(round2((12_345 + 1_000 + 12_345) / 3.0), landscape.getDouble("followers"));
    assertEquals(round2((erA + erB) / 2), landscape.getDouble("engagement_rate"));

    JsonObject posted = await(f.api.post("/ig-tracking/benchmark", token, new JsonObject().put("window_days", 7)))
        .bodyAsJsonObject().getJsonObject("response");
    assertEquals(7, posted.getInteger("window_days"));
  }

  @Test
  @DisplayName("exports stream every comment, post or series point of the whole history as RFC 4180 CSV that a spreadsheet will not run, or as JSON")
  void exports() throws Exception {
    String token = f.signup("export@example.com");
    String code = FakeApify.shortCode("csv.case", 1);
    JsonArray items = new JsonArray()
        .add(comment(code, 1, "=HYPERLINK(\"http://evil.example\")", "@evil"))
        .add(comment(code, 2, "a, \"quoted\"\nline", "fan"))
        .add(comment(code, 3, "+1 great", "-dash"));
    f.fake.comments(code, items);
    String id = f.createProfile(token, "csv.case", false);
    f.scrape(token, id);
    f.scrape(token, id);

    HttpResponse<Buffer> csv = f.get("/ig-tracking/export/" + id + "?what=comments&format=csv", token);
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    assertEquals("attachment; filename=\"codvid-csv.case-comments.csv\"", csv.getHeader("Content-Disposition"));
    String body = csv.bodyAsString("UTF-8");
    assertTrue(body.startsWith("scraped_at,post_url,post_type,caption,owner_username,text,sentiment,score,language,likes_count\r\n"));
    assertTrue(body.contains(",'@evil,\"'=HYPERLINK(\"\"http://evil.example\"\")\","), body);
    assertTrue(body.contains(",fan,\"a, \"\"quoted\"\"\nline\","), "quoted, quotes doubled, newline kept");
    assertTrue(body.contains(",'-dash,'+1 great,"));
    int rows = body.split("\r\n", -1).length - 2; // header, trailing empty
    assertEquals(2 * (3 + 10 + 10), rows, "every comment of every snapshot: 3 on the first post, 10 on the others, twice");

    HttpResponse<Buffer> json = f.get("/ig-tracking/export/" + id + "?what=posts&format=json", token);
    assertEquals(200, json.statusCode());
    assertTrue(json.getHeader("Content-Type").startsWith("application/json"));
    JsonArray posts = new JsonArray(json.bodyAsString());
    assertEquals(6, posts.size());
    JsonObject hidden = posts.stream().map(JsonObject.class::cast).filter(p -> p.getBoolean("likes_hidden")).findFirst().orElseThrow();
    assertNull(hidden.getValue("likes_count"));
    assertEquals(round2(er(25, 12_345)), hidden.getDouble("engagement_rate"));

    HttpResponse<Buffer> series = await(f.api.post("/ig-tracking/export/" + id, token,
        new JsonObject().put("what", "series").put("format", "csv")));
    assertEquals(200, series.statusCode());
    String[] lines = series.bodyAsString().split("\r\n");
    assertEquals(3, lines.length);
    assertEquals("scraped_at,followers,engagement_rate,views_engagement_rate,positive_pct,negative_pct,neutral_pct,net_sentiment,comments", lines[0]);
    assertTrue(lines[1].matches("\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z,12345,2\\.09,5\\.83,.*"), lines[1]);

    HttpResponse<Buffer> none = f.get("/ig-tracking/export/" + f.createProfile(token, "not.yet", false) + "?what=series&format=json", token);
    assertEquals(200, none.statusCode());
    assertEquals(0, new JsonArray(none.bodyAsString()).size());
  }

  private static JsonObject comment(String code, int k, String text, String owner) {
    return new JsonObject().put("id", code + "-x" + k).put("text", text).put("ownerUsername", owner)
        .put("timestamp", "2025-06-01T10:0" + k + ":00Z").put("likesCount", 100 - k).put("repliesCount", 0);
  }

  @Test
  @DisplayName("bad window_days, what or format get 400, another user's or an unknown task 404, no token 401")
  void hostileInputs() throws Exception {
    String owner = f.signup("owner@example.com");
    String other = f.signup("other@example.com");
    String id = f.createProfile(owner, "guarded", false);
    for (String bad : List.of("0", "366", "abc", "1.5", "-3", "", "1e3")) {
      for (String path : List.of("/ig-tracking/insights/" + id + "?window_days=" + bad, "/ig-tracking/benchmark?window_days=" + bad)) {
        HttpResponse<Buffer> r = f.get(path, owner);
        assertEquals(400, r.statusCode(), path + " " + r.bodyAsString());
        assertFalse(r.bodyAsJsonObject().getBoolean("result"));
        assertTrue(r.bodyAsJsonObject().getString("message").contains("window_days"));
      }
    }
    HttpResponse<Buffer> posted = await(f.api.post("/ig-tracking/insights/" + id, owner, new JsonObject().put("window_days", "x")));
    assertEquals(400, posted.statusCode());
    assertEquals(400, await(f.api.post("/ig-tracking/insights/" + id, owner, new JsonObject().put("window_days", 30.5))).statusCode());
    assertEquals(200, await(f.api.post("/ig-tracking/insights/" + id, owner, new JsonObject().put("window_days", 365))).statusCode());

    HttpResponse<Buffer> what = f.get("/ig-tracking/export/" + id + "?what=passwords", owner);
    assertEquals(400, what.statusCode());
    assertTrue(what.bodyAsJsonObject().getString("message").contains("what"));
    HttpResponse<Buffer> format = f.get("/ig-tracking/export/" + id + "?format=xlsx", owner);
    assertEquals(400, format.statusCode());
    assertTrue(format.bodyAsJsonObject().getString("message").contains("format"));

    for (String path : List.of("/ig-tracking/insights/" + id, "/ig-tracking/export/" + id)) {
      HttpResponse<Buffer> foreign = f.get(path, other);
      assertEquals(404, foreign.statusCode());
      assertEquals("Task not found or access denied", foreign.bodyAsJsonObject().getString("message"));
      assertEquals(401, f.get(path, null).statusCode());
    }
    assertEquals(404, f.get("/ig-tracking/insights/00000000-0000-0000-0000-000000000000", owner).statusCode());
    assertEquals(404, f.get("/ig-tracking/insights/..%2F..%2Fetc", owner).statusCode());
    assertEquals(404, f.get("/ig-tracking/export/nope$?what=series", owner).statusCode());
    assertEquals(0, f.ok("/ig-tracking/benchmark", other).getJsonArray("profiles").size(), "a user sees only their own profiles");
    assertEquals(405, await(f.api.call(HttpMethod.DELETE, "/ig-tracking/insights/" + id, owner, null)).statusCode());
  }
}
