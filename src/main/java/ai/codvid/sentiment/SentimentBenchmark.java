package ai.codvid.sentiment;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Figures for bench/sentiment on the TweetEval validation split: macro-recall and accuracy of the
 * whole classifier (language routing included), warm in-process throughput on N threads (no
 * cache), the classifier's heap, and — given the CLI's output file and wall time — the same
 * figures for the whole process.
 */
public final class SentimentBenchmark {

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", SentimentCli.LOGBACK_CONFIG);
    Map<String, String> opts = SentimentTrainer.options(args);
    Path data = TrainingData.locate(opts.get("data"));
    List<TrainingData.Example> validation = TrainingData.validation(data);
    int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));

    if (opts.containsKey("cli-output")) {
      List<String> lines = Files.readAllLines(Path.of(opts.get("cli-output")), StandardCharsets.UTF_8);
      List<String> labels = lines.stream().map(l -> l.split("\t")[0]).toList();
      int n = Integer.parseInt(opts.getOrDefault("cli-lines", String.valueOf(lines.size())));
      double seconds = Double.parseDouble(opts.get("cli-seconds"));
      SentimentTrainer.Scores s = SentimentTrainer.Scores.of(labels.subList(0, validation.size()), validation);
      System.out.printf("cli: %d lines in %.2f s whole process = %.0f comments/s; macro-recall %.4f accuracy %.4f%n",
          n, seconds, n / seconds, s.macroRecall(), s.accuracy());
      return;
    }

    Runtime rt = Runtime.getRuntime();
    gc();
    long before = rt.totalMemory() - rt.freeMemory();
    long t0 = System.nanoTime();
    SentimentClassifier classifier = SentimentClassifier.shared();
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    gc();
    long heap = rt.totalMemory() - rt.freeMemory() - before;

    List<String> predicted = new ArrayList<>();
    long english = 0;
    for (TrainingData.Example e : validation) {
      Sentiment s = classifier.classify(e.text());
      predicted.add(s.label());
      english += "en".equals(s.language()) ? 1 : 0;
    }
    SentimentTrainer.Scores scores = SentimentTrainer.Scores.of(predicted, validation);
    System.out.println("model: " + classifier.modelDescription());
    System.out.printf("validation (2,000 TweetEval tweets): macro-recall %.4f accuracy %.4f (%d read by the English model)%n",
        scores.macroRecall(), scores.accuracy(), english);
    System.out.printf("load: %.2f s; classifier heap after load: %.0f MB (max heap %d MB)%n", loadSeconds,
        heap / 1048576.0, rt.maxMemory() / 1048576);

    List<String> texts = validation.stream().map(TrainingData.Example::text).toList();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 3; round++) {
        throughput(pool, classifier, texts, threads, 1);
      }
      double perSecond = throughput(pool, classifier, texts, threads, 5);
      System.out.printf("warm in-process: %.0f comments/s on %d threads (%d cores)%n", perSecond, threads,
          rt.availableProcessors());
    } finally {
      pool.shutdownNow();
    }
    gc();
    System.out.printf("heap in use after the run: %.0f MB; peak committed heap: %.0f MB%n",
        (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1048576.0);
  }

  private static double throughput(ExecutorService pool, SentimentClassifier classifier, List<String> texts,
      int threads, int passes) throws Exception {
    long t0 = System.nanoTime();
    List<Future<Integer>> jobs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      jobs.add(pool.submit(() -> {
        int n = 0;
        for (int p = 0; p < passes; p++) {
          for (String text : texts) {
            n += classifier.classify(text).label().length() > 0 ? 1 : 0;
          }
        }
        return n;
      }));
    }
    long total = 0;
    for (Future<Integer> job : jobs) {
      total += job.get();
    }
    return total / ((System.nanoTime() - t0) / 1e9);
  }

  private static void gc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
  }

  private SentimentBenchmark() {
  }
}
