package ai.codvid.bench;

import ai.codvid.Addresses;
import ai.codvid.CodvidApp;
import ai.codvid.fakes.FakeApify;
import ai.codvid.store.Collections;
import ai.codvid.support.ApiClient;
import ai.codvid.support.ClusterNodes;
import ai.codvid.support.LiveClients;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Event latency from a publish on node A to a WebSocket client connected to node B, and
 * scheduled-scrape throughput of 1 node vs 3 nodes against a zero-latency fake Apify.
 * Run with {@code bench/cluster}; not part of the test suite.
 */
public final class ClusterBenchmark {

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Vertx vertx = Vertx.vertx();
    FakeApify fake = TrackingBenchmark.await(FakeApify.start(vertx));

    ClusterNodes pair = new ClusterNodes();
    List<CodvidApp> two = TrackingBenchmark.await(pair.start(2, c -> tune(c, fake, false)));
    latency(vertx, two, events);
    TrackingBenchmark.await(pair.close());

    for (int size : new int[] {1, 3}) {
      ClusterNodes cluster = new ClusterNodes();
      List<CodvidApp> nodes = TrackingBenchmark.await(cluster.start(size, c -> tune(c, fake, true)));
      fake.reset();
      double seconds = throughput(vertx, nodes.get(0), tasks);
      System.out.printf(Locale.ROOT, "%d node(s): %d due profile tasks scraped in %.2f s = %.1f scrapes/s (%d profile fetches)%n",
          size, tasks, seconds, tasks / seconds, fake.calls(FakeApify.PROFILE_ACTOR));
      TrackingBenchmark.await(cluster.close());
    }
    TrackingBenchmark.await(fake.close());
    TrackingBenchmark.await(vertx.close());
  }

  private static JsonObject tune(JsonObject config, FakeApify fake, boolean scheduler) {
    return config.put("apify", new JsonObject().put("base_url", fake.baseUrl()).put("token", FakeApify.TOKEN))
        .put("tracking", new JsonObject().put("scheduler_enabled", scheduler).put("scheduler_interval_seconds", 0.2))
        .put("scraper", new JsonObject().put("instances", 2))
        .put("sentiment", new JsonObject().put("instances", 2));
  }

  private static void latency(Vertx vertx, List<CodvidApp> nodes, int events) throws Exception {
    CodvidApp a = nodes.get(0);
    CodvidApp b = nodes.get(1);
    ApiClient api = new ApiClient(vertx, a.httpPort());
    String token = TrackingBenchmark.await(api.signup("latency@example.com", "test-password-1"));
    String taskId = TrackingBenchmark.await(api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "latency")))
        .bodyAsJsonObject().getJsonObject("response").getString("task_id");
    LiveClients.Socket socket = TrackingBenchmark.await(LiveClients.webSocket(vertx, b.httpPort(), "/codvid-ai/ig-tracking/ws/task_status/" + taskId, token));
    while (socket.messages().isEmpty()) {
      Thread.sleep(10);
    }
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      int before = socket.messages().size();
      long sent = System.nanoTime();
      a.vertx().eventBus().publish(Addresses.progress(taskId), new JsonObject().put("event_type", "bench").put("seq", i).put("run_id", "bench"));
      while (socket.messages().size() == before) {
        Thread.onSpinWait();
      }
      millis.add((System.nanoTime() - sent) / 1e6);
    }
    System.out.printf(Locale.ROOT, "event latency, publish on node A → WebSocket client on node B, %d events: median %.2f ms, p99 %.2f ms%n",
        events, TrackingBenchmark.percentile(millis.subList(events / 10, events), 50), TrackingBenchmark.percentile(millis.subList(events / 10, events), 99));
    socket.ws().close();
    api.close();
  }

  private static double throughput(Vertx vertx, CodvidApp first, int tasks) throws Exception {
    long later = System.currentTimeMillis() / 1000 + 3_600;
    List<BulkOperation> inserts = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      String id = UUID.randomUUID().toString();
      inserts.add(BulkOperation.createInsert(new JsonObject().put("_id", id).put("task_id", id).put("user_id", "bench")
          .put("target_profile", "tp_" + i).put("is_competitor", false).put("status", "active").put("created_at", later)
          .put("last_scraped", null).put("next_scrape_due", later).put("scrape_interval_days", 2)
          .put("consecutive_failures", 0).put("lease_until_ms", null)));
    }
    TrackingBenchmark.await(first.services().mongo.bulkWrite(Collections.PROFILE_TASKS, inserts));
    long start = System.nanoTime();
    TrackingBenchmark.await(first.services().mongo.updateCollectionWithOptions(Collections.PROFILE_TASKS, new JsonObject(),
        new JsonObject().put("$set", new JsonObject().put("next_scrape_due", System.currentTimeMillis() / 1000)), new UpdateOptions().setMulti(true)));
    JsonObject scraped = new JsonObject().put("last_scraped", new JsonObject().put("$ne", null));
    while (TrackingBenchmark.await(first.services().mongo.count(Collections.PROFILE_TASKS, scraped)) < tasks) {
      Thread.sleep(50);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private ClusterBenchmark() {
  }
}
