package ai.codvid.bench;

import ai.codvid.CodvidApp;
import ai.codvid.insights.InsightsService;
import ai.codvid.insights.SnapshotFigures;
import ai.codvid.insights.TextFeatures;
import ai.codvid.store.Collections;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import ai.codvid.tracking.SentimentSummary;
import ai.codvid.tracking.TaskKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.RawBsonDocument;

/**
 * insights and benchmark latency for a user with {@code tasks} profile tasks × {@code snapshots}
 * snapshots each (one every 2 days, 3 posts × 10 comments as a default scrape keeps), and the
 * export of a task whose history holds {@code exportComments} comments: rate per second and heap
 * while it streams, to a fast and to a throttled reader. Run with {@code bench/insights}; not part
 * of the test suite.
 */
public final class InsightsBenchmark {

  private static final String[] TEXTS = {"Great post 😍", "", "🔥🔥🔥", "Que lindo, amei!", "This is terrible 👎",
      "Where is this? #travel", "Me encanta ❤️", "Bahut badhiya yaar", "你好，很好看", "😂", "Price?? @shop",
      "Love the colours 👍🏽", "Worst service ever, still waiting for my order", "👨‍👩‍👧 family goals"};
  private static final String[] LABELS = {"positive", "neutral", "positive", "positive", "negative", "neutral",
      "positive", "positive", "neutral", "positive", "neutral", "positive", "negative", "positive"};
  private static final String[] LANGUAGES = {"en", null, null, "pt", "en", "en", "es", "hi", "zh", null, "en", "en", "en", "en"};

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int snapshots = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int exportComments = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    Vertx vertx = Vertx.vertx();
    JsonObject config = TestNode.config(TestNode.tempDir())
        .put("tracking", new JsonObject().put("scheduler_enabled", false))
        .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1").put("instances", 2));
    CodvidApp app = TrackingBenchmark.await(TestNode.start(vertx, config));
    ApiClient api = new ApiClient(vertx, app.httpPort(), true);
    String token = TrackingBenchmark.await(api.signup("insights-bench@example.com", "test-password-1"));
    MongoClient mongo = app.services().mongo;
    InsightsService insights = app.services().insights;
    TextFeatures text = TextFeatures.shared();

    JsonObject sample = data(0, 12_345, 0);
    JsonObject figures = SnapshotFigures.of(TaskKind.PROFILE, sample, text);
    long bare = bson(snapshot("x", "t", "u", 0, sample));
    long withFigures = bson(snapshot("x", "t", "u", 0, sample).put("figures", figures));

    long seedStart = System.nanoTime();
    long now = System.currentTimeMillis();
    List<String> ids = new ArrayList<>();
    String userId = TrackingBenchmark.await(mongo.findOne(Collections.USERS, new JsonObject(), null)).getString("_id");
    for (int t = 0; t < tasks; t++) {
      String id = TrackingBenchmark.await(api.post("/ig-tracking/create_task", token,
              new JsonObject().put("target_profile", "bench_" + t).put("is_competitor", t % 3 == 0)))
          .bodyAsJsonObject().getJsonObject("response").getString("task_id");
      ids.add(id);
      JsonObject task = TrackingBenchmark.await(mongo.findOne(Collections.PROFILE_TASKS, new JsonObject().put("_id", id), null));
      seed(mongo, insights, text, task, snapshots, now, 10_000 + t * 1_000, 2 * 86_400_000L);
    }
    app.services().tracking.tasks().reads().changed(userId);
    System.out.printf(Locale.ROOT, "seeded %d tasks x %d snapshots through the scrape pipeline's sink in %.1f s%n",
        tasks, snapshots, (System.nanoTime() - seedStart) / 1e9);
    if (tasks > 0) {
      JsonObject series = TrackingBenchmark.await(mongo.findOne(Collections.INSIGHTS_SERIES, new JsonObject().put("_id", ids.get(0)), null));
      long point = bson(series.getJsonArray("points").getJsonObject(0)) + 8;
      System.out.printf(Locale.ROOT, "storage per snapshot (3 posts x 10 comments, BSON): data %d B + figures %d B (+%.0f %%),"
              + " plus one series point %d B (series document of %d snapshots: %d B)%n",
          bare, withFigures - bare, (withFigures - bare) * 100.0 / bare, point, snapshots, bson(series));
    }

    if (tasks > 0) {
      latencies(api, token, ids, snapshots, tasks);
    }
    if (exportComments > 0) {
      int exportSnapshots = (exportComments + 29) / 30;
      String id = TrackingBenchmark.await(api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "export_bench")))
          .bodyAsJsonObject().getJsonObject("response").getString("task_id");
      JsonObject task = TrackingBenchmark.await(mongo.findOne(Collections.PROFILE_TASKS, new JsonObject().put("_id", id), null));
      long start = System.nanoTime();
      seedRaw(mongo, text, task, exportSnapshots, now);
      app.services().tracking.tasks().reads().changed(userId);
      System.out.printf(Locale.ROOT, "export task: %d snapshots (%d comments) stored in %.1f s%n", exportSnapshots, exportSnapshots * 30,
          (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      TrackingBenchmark.await(api.get("/ig-tracking/insights/" + id + "?window_days=1", token));
      System.out.printf(Locale.ROOT, "first read of that task (its series built from %d snapshots stored without one): %.1f s%n",
          exportSnapshots, (System.nanoTime() - start) / 1e9);
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.httpPort()));
      export(vertx, client, token, id, "csv", 0, false); // warm-up: JIT, the store's page cache
      export(vertx, client, token, id, "csv", 0, false);
      export(vertx, client, token, id, "json", 0, false);
      export(vertx, client, token, id, "csv", 0, true);
      export(vertx, client, token, id, "csv", 1024 * 1024, true);
      TrackingBenchmark.await(client.close());
    }
    api.close();
    TrackingBenchmark.await(app.close());
    TrackingBenchmark.await(vertx.close());
  }

  private static void latencies(ApiClient api, String token, List<String> ids, int snapshots, int tasks) throws Exception {
    List<Double> cold = new ArrayList<>();
    for (String id : ids) {
      cold.add(time(api, "/ig-tracking/insights/" + id + "?window_days=30", token));
    }
    for (int i = 0; i < 3; i++) {
      for (String id : ids) {
        time(api, "/ig-tracking/insights/" + id + "?window_days=365", token);
      }
      time(api, "/ig-tracking/benchmark?window_days=30", token);
    }
    report("insights, first request per task (series and comments read from the store)", cold);
    List<Double> warm30 = new ArrayList<>();
    List<Double> warm365 = new ArrayList<>();
    List<Double> bench30 = new ArrayList<>();
    List<Double> bench365 = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      for (String id : ids) {
        warm30.add(time(api, "/ig-tracking/insights/" + id + "?window_days=30", token));
        warm365.add(time(api, "/ig-tracking/insights/" + id + "?window_days=365", token));
      }
      for (int i = 0; i < 10; i++) {
        bench30.add(time(api, "/ig-tracking/benchmark?window_days=30", token));
        bench365.add(time(api, "/ig-tracking/benchmark?window_days=365", token));
      }
    }
    report("insights window_days=30 (15 snapshots, 450 comments), warm", warm30);
    report("insights window_days=365 (" + snapshots + " snapshots, " + snapshots * 30 + " comments), warm", warm365);
    report("benchmark window_days=30 (" + tasks + " profiles), warm", bench30);
    report("benchmark window_days=365 (" + tasks + " profiles), warm", bench365);

  }

  /** Stores each snapshot and hands it to the insights sink, as a successful scrape does. */
  private static void seed(MongoClient mongo, InsightsService insights, TextFeatures text, JsonObject task, int snapshots,
      long nowMs, long followers, long everyMs) throws Exception {
    JsonObject before = task.copy().put("last_scraped", null);
    long last = 0;
    for (int s = snapshots - 1; s >= 0; s--) {
      long ms = nowMs - s * everyMs;
      JsonObject data = data(snapshots - s, followers + (snapshots - s) * 7L, ms / 1000);
      String sid = UUID.randomUUID().toString();
      JsonObject snapshot = snapshot(sid, task.getString("_id"), task.getString("user_id"), ms, data)
          .put("figures", SnapshotFigures.of(TaskKind.PROFILE, data, text));
      TrackingBenchmark.await(mongo.insert(Collections.TASK_HISTORY, snapshot));
      TrackingBenchmark.await(insights.stored(TaskKind.PROFILE, before, snapshot));
      before.put("last_scraped", ms / 1000).put("last_scraped_ms", ms);
      last = ms;
    }
    TrackingBenchmark.await(mongo.updateCollection(Collections.PROFILE_TASKS, new JsonObject().put("_id", task.getString("_id")),
        new JsonObject().put("$set", new JsonObject().put("last_scraped", last / 1000).put("last_scraped_ms", last))));
  }

  /** Stores snapshots only (as history written before insights existed): the first read builds the series. */
  private static void seedRaw(MongoClient mongo, TextFeatures text, JsonObject task, int snapshots, long nowMs) throws Exception {
    long last = 0;
    List<Future<String>> pending = new ArrayList<>();
    for (int s = snapshots - 1; s >= 0; s--) {
      long ms = nowMs - s * 60_000L;
      JsonObject data = data(snapshots - s, 50_000, ms / 1000);
      String sid = UUID.randomUUID().toString();
      pending.add(mongo.insert(Collections.TASK_HISTORY, snapshot(sid, task.getString("_id"), task.getString("user_id"), ms, data)
          .put("figures", SnapshotFigures.of(TaskKind.PROFILE, data, text))));
      if (pending.size() == 50) {
        TrackingBenchmark.await(Future.all(pending));
        pending.clear();
      }
      last = ms;
    }
    TrackingBenchmark.await(Future.all(pending));
    TrackingBenchmark.await(mongo.updateCollection(Collections.PROFILE_TASKS, new JsonObject().put("_id", task.getString("_id")),
        new JsonObject().put("$set", new JsonObject().put("last_scraped", last / 1000).put("last_scraped_ms", last))));
  }

  private static JsonObject snapshot(String id, String taskId, String userId, long ms, JsonObject data) {
    List<JsonObject> comments = SentimentSummary.comments(new JsonObject().put("target_profile_data", data));
    return new JsonObject().put("_id", id).put("task_id", taskId).put("user_id", userId).put("kind", "profile")
        .put("scraped_at", ms / 1000).put("scraped_at_ms", ms).put("sentiment_summary", SentimentSummary.of(comments))
        .put("data", data);
  }

  /** A profile's data as a default scrape stores it: 3 posts, 10 top comments each; a new post every scrape. */
  static JsonObject data(int n, long followers, long at) {
    JsonArray posts = new JsonArray();
    for (int p = 0; p < 3; p++) {
      int postNo = n - p;
      JsonArray comments = new JsonArray();
      for (int c = 0; c < 10; c++) {
        int k = Math.floorMod(postNo * 7 + c, TEXTS.length);
        comments.add(new JsonObject().put("comment_id", "p" + postNo + "-c" + c).put("text", TEXTS[k])
            .put("owner_username", "fan_" + c).put("timestamp", at - 600).put("likes_count", (long) (c * 7 % 13))
            .put("replies_count", 0L).put("sentiment", LABELS[k]).put("sentiment_score", 0.8).put("language", LANGUAGES[k]));
      }
      posts.add(new JsonObject().put("post_id", "post-" + postNo).put("short_code", "SC" + postNo)
          .put("post_url", "https://www.instagram.com/p/SC" + postNo + "/").put("timestamp", at - p * 86_400L)
          .put("type", p == 0 ? "reel" : "post").put("caption", "Post " + postNo + " #summer #travel with a caption of a usual length")
          .put("likes_count", p == 2 ? null : (Object) (long) (300 + postNo % 50)).put("comments_count", 25L + p)
          .put("video_view_count", p == 0 ? 5_000L : null).put("video_play_count", p == 0 ? 9_000L : null)
          .put("hashtags", new JsonArray().add("#summer").add("#travel")).put("mentions", new JsonArray())
          .put("is_pinned", false).put("owner_username", "bench").put("top_comments", comments).put("source", "apify"));
    }
    return new JsonObject().put("username", "bench").put("full_name", "Bench").put("biography", "A profile for the benchmark 🌍")
        .put("followers", followers).put("following", 321L).put("follows_count", 321L).put("posts_count", 400L + n)
        .put("igtv_video_count", 0L).put("icon_pic_url", "https://cdn.example/bench.jpg").put("is_private", false)
        .put("verified", true).put("source", "apify").put("scraped_posts", posts);
  }

  private static long bson(JsonObject json) {
    return RawBsonDocument.parse(json.encode()).getByteBuffer().remaining();
  }

  private static double time(ApiClient api, String path, String token) throws Exception {
    long start = System.nanoTime();
    int status = TrackingBenchmark.await(api.get(path, token)).statusCode();
    if (status != 200) {
      throw new IllegalStateException(path + " answered " + status);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static void report(String what, List<Double> millis) {
    System.out.printf(Locale.ROOT, "%s, %d requests: median %.1f ms, p99 %.1f ms, max %.1f ms%n", what, millis.size(),
        TrackingBenchmark.percentile(millis, 50), TrackingBenchmark.percentile(millis, 99), TrackingBenchmark.percentile(millis, 100));
  }

  /** Downloads an export (reading at most {@code bytesPerSecond} when > 0), sampling the heap and the rate. */
  private static void export(Vertx vertx, HttpClient client, String token, String id, String format, long bytesPerSecond,
      boolean heapSamples) throws Exception {
    System.gc();
    Thread.sleep(200);
    Runtime rt = Runtime.getRuntime();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    AtomicLong bytes = new AtomicLong();
    List<Long> perSecond = new ArrayList<>();
    List<Long> liveAfterGc = new ArrayList<>();
    long gcSampler = !heapSamples ? -1 : vertx.setPeriodic(2000, t -> {
      System.gc();
      liveAfterGc.add(rt.totalMemory() - rt.freeMemory());
    });
    long[] lastBytes = {0};
    long ticker = vertx.setPeriodic(1000, t -> {
      perSecond.add(bytes.get() - lastBytes[0]);
      lastBytes[0] = bytes.get();
    });
    long start = System.nanoTime();
    Promise<Long> done = Promise.promise();
    client.request(new RequestOptions().setMethod(HttpMethod.GET)
            .setURI("/codvid-ai/ig-tracking/export/" + id + "?what=comments&format=" + format)
            .putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .onSuccess(resp -> {
          long[] windowStart = {System.nanoTime()};
          long[] windowBytes = {0};
          resp.handler(buffer -> {
            bytes.addAndGet(buffer.length());
            if (bytesPerSecond > 0) {
              windowBytes[0] += buffer.length();
              long dueNanos = windowBytes[0] * 1_000_000_000L / bytesPerSecond;
              long elapsed = System.nanoTime() - windowStart[0];
              if (dueNanos > elapsed) {
                resp.pause();
                vertx.setTimer(Math.max(1, (dueNanos - elapsed) / 1_000_000), x -> resp.resume());
              }
            }
          });
          resp.endHandler(v -> done.tryComplete(bytes.get()));
          resp.exceptionHandler(done::tryFail);
        })
        .onFailure(done::tryFail);
    long total = TrackingBenchmark.await(done.future());
    double seconds = (System.nanoTime() - start) / 1e9;
    if (gcSampler >= 0) {
      vertx.cancelTimer(gcSampler);
    }
    vertx.cancelTimer(ticker);
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < perSecond.size(); i++) {
      rates.add(perSecond.get(i) / 1e6);
    }
    System.out.printf(Locale.ROOT, "export comments as %s%s: %.1f MB in %.1f s (%.1f MB/s); MB per second %s;"
            + " heap before %d MB%s%n",
        format, bytesPerSecond > 0 ? " to a reader taking " + bytesPerSecond / (1024 * 1024) + " MiB/s" : "", total / 1e6, seconds,
        total / 1e6 / seconds, rates.stream().map(r -> String.format(Locale.ROOT, "%.1f", r)).toList(),
        heapBefore / (1024 * 1024), heapSamples ? ", live heap after a GC every 2 s (slows the stream) " + liveAfterGc.stream()
            .map(b -> String.valueOf(b / (1024 * 1024))).toList() + " MB" : "");
  }

  private InsightsBenchmark() {
  }
}
