package ai.codvid.bench;

import ai.codvid.Addresses;
import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeApify;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * force_scrape latency and end-to-end scrape time of one node against a zero-latency fake Apify.
 * Run with {@code bench/tracking}; not part of the test suite.
 */
public final class TrackingBenchmark {

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Vertx vertx = Vertx.vertx();
    FakeApify fake = await(FakeApify.start(vertx));
    JsonObject config = TestNode.config(TestNode.tempDir())
        .put("apify", new JsonObject().put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN))
        .put("tracking", new JsonObject().put("scheduler_enabled", false))
        .put("scraper", new JsonObject().put("instances", 2))
        .put("sentiment", new JsonObject().put("instances", 2));
    CodvidApp app = await(TestNode.start(vertx, config));
    ApiClient api = new ApiClient(vertx, app.httpPort(), true);
    String token = await(api.signup("bench@example.com", "test-password-1"));

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      ids.add(await(api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "bench_" + i)))
          .bodyAsJsonObject().getJsonObject("response").getString("task_id"));
    }

    // warm-up: one full scrape so the model, the codecs and the JIT are ready
    endToEnd(vertx, api, token, ids.get(0));

    List<Double> pingMillis = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      long start = System.nanoTime();
      await(api.get("/ping", null));
      pingMillis.add((System.nanoTime() - start) / 1e6);
    }
    List<Double> statusMillis = new ArrayList<>();
    for (String id : ids.subList(1, ids.size())) {
      long start = System.nanoTime();
      await(api.get("/ig-tracking/task_status/" + id, token));
      statusMillis.add((System.nanoTime() - start) / 1e6);
    }

    // force_scrape alone: the upstream answers only after 60 s, so no scrape competes for the CPU
    fake.delay(60_000);
    List<Double> quietMillis = new ArrayList<>();
    int quiet = Math.min(100, ids.size() / 2);
    for (String id : ids.subList(ids.size() - quiet, ids.size())) {
      long start = System.nanoTime();
      await(api.post("/ig-tracking/force_scrape/" + id, token, null));
      quietMillis.add((System.nanoTime() - start) / 1e6);
    }
    fake.delay(0);
    while (await(app.services().registry.size()) > 0) {
      Thread.sleep(100);
    }

    List<Double> forceMillis = new ArrayList<>();
    for (String id : ids.subList(1, ids.size())) {
      long start = System.nanoTime();
      int status = await(api.post("/ig-tracking/force_scrape/" + id, token, null)).statusCode();
      forceMillis.add((System.nanoTime() - start) / 1e6);
      if (status != 200) {
        throw new IllegalStateException("force_scrape answered " + status);
      }
    }
    long drainStart = System.nanoTime();
    while (await(app.services().registry.size()) > 0 && System.nanoTime() - drainStart < TimeUnit.MINUTES.toNanos(5)) {
      Thread.sleep(20);
    }
    double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

    List<Double> endToEndMillis = new ArrayList<>();
    for (int i = 0; i < scrapes; i++) {
      endToEndMillis.add(endToEnd(vertx, api, token, ids.get(i % ids.size())));
    }

    System.out.printf(Locale.ROOT, "baseline: ping median %.2f ms, p99 %.2f ms; task_status (idle task) median %.2f ms, p99 %.2f ms%n",
        percentile(pingMillis, 50), percentile(pingMillis, 99), percentile(statusMillis, 50), percentile(statusMillis, 99));
    System.out.printf(Locale.ROOT, "force_scrape latency, no scrape running meanwhile, %d calls: median %.2f ms, p99 %.2f ms%n",
        quietMillis.size(), percentile(quietMillis, 50), percentile(quietMillis, 99));
    System.out.printf(Locale.ROOT, "force_scrape latency while earlier calls' scrapes run (zero-latency upstream), %d calls: median %.2f ms, p99 %.2f ms, max %.2f ms%n",
        forceMillis.size(), percentile(forceMillis, 50), percentile(forceMillis, 99), percentile(forceMillis, 100));
    System.out.printf(Locale.ROOT, "%d profile scrapes started by those calls finished %.1f s after the last call%n",
        forceMillis.size(), drainSeconds);
    System.out.printf(Locale.ROOT, "end-to-end profile scrape (force_scrape → scrape_completed, 4 upstream calls, 30 comments classified), %d runs: median %.1f ms, p99 %.1f ms%n",
        endToEndMillis.size(), percentile(endToEndMillis, 50), percentile(endToEndMillis, 99));
    api.close();
    await(app.close());
    await(fake.close());
    await(vertx.close());
  }

  private static double endToEnd(Vertx vertx, ApiClient api, String token, String taskId) throws Exception {
    Promise<Long> completed = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.progress(taskId), message -> {
      if ("scrape_completed".equals(message.body().getString("event_type")) || "scrape_failed".equals(message.body().getString("event_type"))) {
        completed.tryComplete(System.nanoTime());
      }
    });
    await(consumer.completion());
    long start = System.nanoTime();
    int status = await(api.post("/ig-tracking/force_scrape/" + taskId, token, null)).statusCode();
    if (status != 200) {
      throw new IllegalStateException("force_scrape answered " + status);
    }
    long end = await(completed.future());
    await(consumer.unregister());
    while (await(api.get("/ig-tracking/task_status/" + taskId, token)).bodyAsJsonObject().getJsonObject("response").getBoolean("is_processing")) {
      Thread.sleep(2);
    }
    return (end - start) / 1e6;
  }

  static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  private TrackingBenchmark() {
  }
}
