package ai.codvid.bench;

import ai.codvid.config.AppConfig;
import ai.codvid.store.EmbeddedMongo;
import ai.codvid.store.Store;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVStoreTool;

/**
 * The embedded store on a real file: how much the data file grows per small write, how large it
 * is compared with its live data after a heavy update workload, and how long single and
 * concurrent writes take. Run with {@code bench/store}; not part of the test suite.
 *
 * <p>Live data is the size of an offline, fully compacted copy of the same file
 * ({@code MVStoreTool.compact}), i.e. the smallest file holding the same documents.
 */
public final class StoreBenchmark {

  /** Chat-like text: words of a small vocabulary, so it compresses about as well as real messages. */
  private static final String CHAT_TEXT = text(10_000, new java.util.Random(42));

  public static void main(String[] args) throws Exception {
    int smallWrites = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int chatAppends = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int writers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    Vertx vertx = Vertx.vertx();
    Path dir = TestNode.tempDir();
    Path file = dir.resolve(EmbeddedMongo.FILE_NAME);
    Store store = await(Store.start(vertx, AppConfig.of(TestNode.config(dir))));
    MongoClient mongo = store.mongo();
    AtomicLong peak = new AtomicLong();
    long sampler = vertx.setPeriodic(50, id -> peak.accumulateAndGet(size(file), Math::max));
    List<String> rows = new ArrayList<>();

    // warm-up: codecs, JIT, the collections and their maps exist
    for (int i = 0; i < 50; i++) {
      await(mongo.insert("warm", new JsonObject().put("_id", "w" + i).put("v", i)));
    }

    // 1. small writes, one at a time
    long before = size(file);
    List<Double> single = new ArrayList<>();
    for (int i = 0; i < smallWrites; i++) {
      JsonObject project = project("user-" + (i % 20), "project " + i);
      long start = System.nanoTime();
      await(mongo.insert("projects", project));
      single.add((System.nanoTime() - start) / 1e6);
    }
    long afterSmall = size(file);
    rows.add(row("file growth per small write (" + smallWrites + " project inserts, one at a time)",
        kib((afterSmall - before) / (double) smallWrites) + " KiB/write (" + mib(afterSmall - before) + " MiB in all)"));
    rows.add(row("single write latency (insert, nothing else running)",
        "p50 " + ms(percentile(single, 50)) + " ms, p99 " + ms(percentile(single, 99)) + " ms"));

    // 2. concurrent small updates: writes that arrive together
    List<Double> concurrent = Collections.synchronizedList(new ArrayList<>());
    int perWriter = Math.max(1, 2_000 / writers);
    long concurrentStart = System.nanoTime();
    List<Future<Void>> all = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String id = "counter-" + w;
      all.add(mongo.insert("counters", new JsonObject().put("_id", id).put("n", 0))
          .compose(x -> updates(mongo, id, perWriter, concurrent)));
    }
    await(Future.all(all));
    double seconds = (System.nanoTime() - concurrentStart) / 1e9;
    rows.add(row("concurrent updates (" + writers + " writers x " + perWriter + ")",
        String.format(Locale.ROOT, "%.0f writes/s, p50 %s ms, p99 %s ms", writers * perWriter / seconds,
            ms(percentile(concurrent, 50)), ms(percentile(concurrent, 99)))));

    // 3. heavy updates: chat-like appends of 10,000 characters to 10 documents
    for (int d = 0; d < 10; d++) {
      await(mongo.insert("chats", new JsonObject().put("_id", "chat-" + d).put("chats", new JsonArray())));
    }
    List<Double> appendMillis = new ArrayList<>();
    long heavyStart = System.nanoTime();
    for (int i = 0; i < chatAppends; i++) {
      long start = System.nanoTime();
      await(mongo.updateCollection("chats", new JsonObject().put("_id", "chat-" + (i % 10)),
          new JsonObject().put("$push", new JsonObject().put("chats", new JsonObject().put("role", "user").put("text", CHAT_TEXT)))));
      appendMillis.add((System.nanoTime() - start) / 1e6);
    }
    double heavySeconds = (System.nanoTime() - heavyStart) / 1e9;
    vertx.cancelTimer(sampler);
    long running = size(file);
    long bson = bsonBytes(mongo);
    rows.add(row("heavy updates: " + chatAppends + " appends of 10,000 characters to 10 documents",
        String.format(Locale.ROOT, "%.1f s, append p50 %s ms, p99 %s ms, last 10 mean %s ms", heavySeconds,
            ms(percentile(appendMillis, 50)), ms(percentile(appendMillis, 99)),
            ms(appendMillis.subList(appendMillis.size() - 10, appendMillis.size()).stream().mapToDouble(d -> d).average().orElse(0)))));

    await(store.close());
    long closed = size(file);
    Path copy = Files.createTempFile("codvid-live", ".mv");
    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
    MVStoreTool.compact(copy.toString(), false);
    long live = size(copy);
    Files.delete(copy);
    rows.add(row("data file while running, at the end / peak during the run", mib(running) + " MiB / " + mib(peak.get()) + " MiB"));
    rows.add(row("data file after a clean stop", mib(closed) + " MiB"));
    rows.add(row("live data: BSON size of all documents / offline compacted copy (uncompressed)", mib(bson) + " MiB / " + mib(live) + " MiB"));
    rows.add(row("file-to-live ratio while running, live = BSON size (end / peak)",
        String.format(Locale.ROOT, "%.2f / %.2f", running / (double) bson, peak.get() / (double) bson)));

    System.out.println();
    System.out.println("| Figure | Measured |");
    System.out.println("|---|---|");
    rows.forEach(System.out::println);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static String text(int length, java.util.Random random) {
    String[] words = ("the a reel post comment follower growth engagement likes views story brand creator audience week "
        + "month best worst compared competitor sentiment positive negative neutral because after before our their "
        + "campaign launch video caption hashtag trend share save reach impressions profile").split(" ");
    StringBuilder b = new StringBuilder(length + 16);
    while (b.length() < length) {
      b.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? ". " : " ");
    }
    return b.substring(0, length);
  }

  private static long bsonBytes(MongoClient mongo) throws Exception {
    long total = 0;
    for (String collection : await(mongo.getCollections())) {
      JsonObject stats = await(mongo.runCommand("collStats", new JsonObject().put("collStats", collection)));
      total += stats.getLong("size", 0L);
    }
    return total;
  }

  private static Future<Void> updates(MongoClient mongo, String id, int left, List<Double> latencies) {
    if (left == 0) {
      return Future.succeededFuture();
    }
    long start = System.nanoTime();
    return mongo.updateCollection("counters", new JsonObject().put("_id", id), new JsonObject().put("$inc", new JsonObject().put("n", 1)))
        .compose(r -> {
          latencies.add((System.nanoTime() - start) / 1e6);
          return updates(mongo, id, left - 1, latencies);
        });
  }

  private static JsonObject project(String user, String name) {
    return new JsonObject().put("_id", java.util.UUID.randomUUID().toString()).put("user_id", user).put("project_name", name)
        .put("schema_version", "4.0").put("mod_count", 0).put("date", System.currentTimeMillis() / 1000)
        .put("project_info", new JsonObject().put("description", "A benchmark project").put("keywords", new JsonArray().add("bench")))
        .put("ai_memory", new JsonObject()).put("chats", new JsonArray());
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String row(String figure, String measured) {
    return "| " + figure + " | " + measured + " |";
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String kib(double bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1024);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }

  private StoreBenchmark() {
  }
}
