package ai.codvid.sentiment;

import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Figures for bench/sentiment: the whole engine (routing and Instagram rules included) on the
 * TweetEval and UMSAB validation splits and on the hand-labelled Instagram-style set; language
 * routing against optimaize alone; warm throughput through the real worker verticle on the event
 * bus (cache off); the latency of one 30-comment scrape; heap and resident memory; and — given
 * the CLI's output file and wall time — the same figures for the whole CLI process.
 */
public final class SentimentBenchmark {

  /**
   * Where one thread's time goes: the encoder alone at one text per run and at 32, then the whole
   * engine (reading, routing, encoder, heads, rules) in requests of 30, each over the validation texts
   * after a warm-up pass.
   */
  static void profile(List<String> texts) {
    SentenceEncoder encoder = SentenceEncoder.load();
    List<String> prepared = texts.stream().map(t -> CommentText.forEncoder(CommentText.clean(t))).toList();
    for (int batch : new int[] {1, 32, 1, 32}) {
      long t = System.nanoTime();
      encoder.encode(prepared, batch);
      double s = (System.nanoTime() - t) / 1e9;
      System.out.printf(Locale.ROOT, "encoder alone, one thread, %d text(s) per run: %d texts in %.2f s = %.0f texts/s%n", batch,
          prepared.size(), s, prepared.size() / s);
    }
    SentimentClassifier classifier = SentimentClassifier.shared();
    for (int pass = 0; pass < 2; pass++) {
      long t = System.nanoTime();
      for (int i = 0; i < texts.size(); i += 30) {
        classifier.classifyAll(texts.subList(i, Math.min(texts.size(), i + 30)));
      }
      double s = (System.nanoTime() - t) / 1e9;
      System.out.printf(Locale.ROOT, "whole engine, one thread, requests of 30: %d texts in %.2f s = %.0f texts/s%n", texts.size(), s,
          texts.size() / s);
    }
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", SentimentCli.LOGBACK_CONFIG);
    Map<String, String> opts = SentimentTrainer.options(args);
    Path data = TrainingData.locate(opts.get("data"));
    List<TrainingData.Example> validation = TrainingData.validation(data);

    if (opts.containsKey("cli-output")) {
      List<String> lines = Files.readAllLines(Path.of(opts.get("cli-output")), StandardCharsets.UTF_8);
      int[] predicted = lines.stream().limit(validation.size()).mapToInt(l -> SentimentModel.LABELS.indexOf(l.split("\t")[0])).toArray();
      int n = Integer.parseInt(opts.getOrDefault("cli-lines", String.valueOf(lines.size())));
      double seconds = Double.parseDouble(opts.get("cli-seconds"));
      SentimentTrainer.Metrics m = SentimentTrainer.Metrics.of(predicted, SentimentTrainer.labels(validation));
      System.out.printf(Locale.ROOT, "cli: %d lines in %.2f s whole process = %.0f comments/s; first 2,000 lines: macro-recall %.4f%n",
          n, seconds, n / seconds, m.macroRecall());
      return;
    }

    if (opts.containsKey("profile")) {
      profile(validation.stream().map(TrainingData.Example::text).toList());
      return;
    }
    long t0 = System.nanoTime();
    SentimentClassifier classifier = SentimentClassifier.shared();
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "load: %.1f s; resident after load: %s%n", loadSeconds, rss());
    System.out.println("model: " + classifier.modelDescription());

    accuracy(classifier, data, validation);
    if (opts.containsKey("instagram")) {
      instagram(classifier, Path.of(opts.get("instagram")));
    }
    languages(classifier, data, opts.containsKey("instagram") ? Path.of(opts.get("instagram")) : null);
    if (opts.containsKey("no-speed")) {
      return;
    }
    throughput(validation.stream().map(TrainingData.Example::text).toList(), Integer.parseInt(opts.getOrDefault("seconds", "30")));
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "memory: heap in use %.0f MB (max %d MB); resident %s%n",
        (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.maxMemory() / 1048576, rss());
  }

  private static void accuracy(SentimentClassifier classifier, Path data, List<TrainingData.Example> validation) throws Exception {
    int[] gold = SentimentTrainer.labels(validation);
    int[] predicted = predict(classifier, validation);
    SentimentTrainer.Metrics m = SentimentTrainer.Metrics.of(predicted, gold);
    System.out.printf(Locale.ROOT, "TweetEval validation (2,000, whole engine): macro-recall %.4f, macro-F1 %.4f, accuracy %.4f, predicted neg/neu/pos %s vs gold %s%n",
        m.macroRecall(), m.macroF1(), m.accuracy(), m.distribution(), SentimentTrainer.Metrics.gold(gold));
    double sum = 0;
    for (String language : TrainingData.UMSAB.keySet()) {
      List<TrainingData.Example> val = TrainingData.umsab(data, language, "val");
      SentimentTrainer.Metrics u = SentimentTrainer.Metrics.of(predict(classifier, val), SentimentTrainer.labels(val));
      sum += u.macroF1();
      System.out.printf(Locale.ROOT, "UMSAB %s validation (%d, whole engine): macro-F1 %.4f, predicted %s%n", language, val.size(),
          u.macroF1(), u.distribution());
    }
    System.out.printf(Locale.ROOT, "UMSAB average macro-F1: %.4f%n", sum / TrainingData.UMSAB.size());
  }

  private static int[] predict(SentimentClassifier classifier, List<TrainingData.Example> examples) {
    List<Sentiment> s = classifier.classifyAll(examples.stream().map(TrainingData.Example::text).toList());
    return s.stream().mapToInt(x -> SentimentModel.LABELS.indexOf(x.label())).toArray();
  }

  /** Per-category accuracy on the hand-labelled set, the tuned part and the never-tuned part apart. */
  private static void instagram(SentimentClassifier classifier, Path file) throws Exception {
    List<String[]> rows = instagramRows(file);
    List<Sentiment> got = classifier.classifyAll(rows.stream().map(r -> r[4]).toList());
    Map<String, int[]> byCategory = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      int part = r[3].equals("holdout") ? 2 : 0;
      boolean ok = r[0].equals(got.get(i).label());
      for (String key : List.of(r[1], "all", "language " + r[2])) {
        int[] c = byCategory.computeIfAbsent(key, k -> new int[4]);
        c[part] += ok ? 1 : 0;
        c[part + 1]++;
      }
    }
    System.out.println("Instagram-style set: category: tuned part / never-tuned part / both");
    byCategory.forEach((k, c) -> System.out.printf(Locale.ROOT, "  %-12s %s / %s / %s%n", k, share(c[0], c[1]), share(c[2], c[3]),
        share(c[0] + c[2], c[1] + c[3])));
  }

  static List<String[]> instagramRows(Path file) throws Exception {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      String[] p = line.split("\t", 5);
      rows.add(new String[] {p[0], p[1], p[2], p[3], p.length > 4 ? p[4] : ""});
    }
    return rows;
  }

  private static String share(int ok, int n) {
    return n == 0 ? "-" : String.format(Locale.ROOT, "%d/%d (%.0f%%)", ok, n, 100.0 * ok / n);
  }

  /** Routing (router + optimaize) against optimaize alone, on UMSAB validation and the Instagram set. */
  private static void languages(SentimentClassifier classifier, Path data, Path instagram) throws Exception {
    LanguageGuesser optimaize = new LanguageGuesser();
    List<String[]> items = new ArrayList<>();
    for (String language : TrainingData.UMSAB.keySet()) {
      TrainingData.umsab(data, language, "val").forEach(e -> items.add(new String[] {"UMSAB validation", language, e.text()}));
    }
    if (instagram != null) {
      for (String[] r : instagramRows(instagram)) {
        if (!r[2].equals("und")) {
          items.add(new String[] {"Instagram set", r[2], r[4]});
        }
      }
    }
    Map<String, int[]> counts = new TreeMap<>();
    for (String[] it : items) {
      String words = it[2];
      String ours = classifier.route(words);
      String theirs = optimaize.guess(LanguageRouter.letters(words)).language();
      for (String key : List.of(it[0], it[0] + " " + it[1])) {
        int[] c = counts.computeIfAbsent(key, k -> new int[3]);
        c[0] += it[1].equals(ours) ? 1 : 0;
        c[1] += it[1].equals(theirs) ? 1 : 0;
        c[2]++;
      }
    }
    System.out.println("language routing accuracy: ours (router + optimaize) / optimaize alone");
    counts.forEach((k, c) -> System.out.printf(Locale.ROOT, "  %-22s %.3f / %.3f (%d)%n", k, (double) c[0] / c[2], (double) c[1] / c[2], c[2]));
  }

  /** Requests of 30 comments (one scrape's worth) to the real worker verticle, two in flight, cache off. */
  private static void throughput(List<String> texts, int seconds) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AppConfig config = AppConfig.of(new JsonObject()).with("sentiment.cache_size", 0).with("sentiment.instances", 2);
      await(SentimentVerticle.deploy(vertx, config));
      SentimentClient client = new SentimentClient(vertx, 120_000);
      List<String> first = texts.subList(0, 30);
      long s0 = System.nanoTime();
      await(client.classify(first));
      System.out.printf(Locale.ROOT, "one 30-comment scrape, first call after load: %.0f ms%n", (System.nanoTime() - s0) / 1e6);
      for (int w = 0; w < 10; w++) {
        await(client.classify(texts.subList(30 * w, 30 * w + 30)));
      }
      s0 = System.nanoTime();
      await(client.classify(texts.subList(600, 630)));
      System.out.printf(Locale.ROOT, "one 30-comment scrape, warm: %.0f ms%n", (System.nanoTime() - s0) / 1e6);
      AtomicInteger done = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long start = System.nanoTime();
      List<Future<Void>> lanes = new ArrayList<>();
      for (int lane = 0; lane < 2; lane++) {
        lanes.add(lane(client, texts, next, done, deadline));
      }
      for (Future<Void> f : lanes) {
        await(f);
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "warm in-server (worker verticle x2, requests of 30, 2 in flight, cache off): %.0f comments/s on %d cores%n",
          done.get() / elapsed, Runtime.getRuntime().availableProcessors());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Future<Void> lane(SentimentClient client, List<String> texts, AtomicInteger next, AtomicInteger done, long deadline) {
    if (System.nanoTime() > deadline) {
      return Future.succeededFuture();
    }
    int from = (next.getAndIncrement() * 30) % (texts.size() - 30);
    return client.classify(texts.subList(from, from + 30)).compose(r -> {
      done.addAndGet(r.size());
      return lane(client, texts, next, done, deadline);
    });
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }

  static String rss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
          .map(l -> String.format(Locale.ROOT, "%.0f MB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0)).findFirst().orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }

  private SentimentBenchmark() {
  }
}
