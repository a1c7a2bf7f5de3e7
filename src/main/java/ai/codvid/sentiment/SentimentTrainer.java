package ai.codvid.sentiment;

import edu.stanford.nlp.classify.LinearClassifier;
import edu.stanford.nlp.classify.LinearClassifierFactory;
import edu.stanford.nlp.classify.RVFDataset;
import edu.stanford.nlp.ling.RVFDatum;
import edu.stanford.nlp.stats.Counter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the English model with CoreNLP's {@link LinearClassifierFactory} (L2-regularised
 * logistic regression, quasi-Newton) and writes {@value SentimentModel#RESOURCE}.
 *
 * <p>Run through {@code bench/train-sentiment}. Settings are chosen on the validation split only:
 * each sigma is trained, the one with the best validation macro-recall is kept, then the label
 * offsets are tuned on the same split.
 */
public final class SentimentTrainer {

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", SentimentCli.LOGBACK_CONFIG);
    Map<String, String> opts = options(args);
    Path data = TrainingData.locate(opts.get("data"));
    Path out = Path.of(opts.getOrDefault("out", "src/main/resources/sentiment/model.bin.gz"));
    double[] sigmas = Arrays.stream(opts.getOrDefault("sigmas", "0.5").split(",")).mapToDouble(Double::parseDouble).toArray();
    int minCount = Integer.parseInt(opts.getOrDefault("min-count", "2"));
    double minWeight = Double.parseDouble(opts.getOrDefault("min-weight", "0.002"));

    List<TrainingData.Example> validation = TrainingData.validation(data);
    TrainingData.Pool pool = TrainingData.training(data, validation);
    log("training pool: %d read, %d duplicates dropped, %d dropped as in validation, %d kept",
        pool.read(), pool.duplicates(), pool.inValidation(), pool.examples().size());

    Lexicons lexicons = Lexicons.load();
    CommentTokenizer tokenizer = new CommentTokenizer(lexicons.emoticons());
    CommentFeatures features = new CommentFeatures(lexicons);
    List<Counter<String>> trainFeatures = pool.examples().parallelStream()
        .map(e -> features.extract(tokenizer.tokenize(CommentText.clean(e.text())))).toList();
    List<Counter<String>> valFeatures = validation.parallelStream()
        .map(e -> features.extract(tokenizer.tokenize(CommentText.clean(e.text())))).toList();
    RVFDataset<String, String> dataset = new RVFDataset<>();
    for (int i = 0; i < trainFeatures.size(); i++) {
      dataset.add(new RVFDatum<>(trainFeatures.get(i), pool.examples().get(i).label()));
    }
    dataset.applyFeatureCountThreshold(minCount);
    log("features after count threshold %d: %d", minCount, dataset.numFeatures());

    SentimentModel best = null;
    double bestRecall = -1;
    double bestSigma = 0;
    for (double sigma : sigmas) {
      long t0 = System.nanoTime();
      LinearClassifierFactory<String, String> factory = new LinearClassifierFactory<>(1e-4, false, sigma);
      factory.setVerbose(false);
      LinearClassifier<String, String> classifier = factory.trainClassifier(dataset);
      SentimentModel model = new SentimentModel(classifier, new double[3], "");
      double[][] raw = valFeatures.stream().map(model::rawScores).toArray(double[][]::new);
      Scores s = Scores.of(raw, new double[3], validation);
      log("sigma %.3f: validation macro-recall %.4f accuracy %.4f (%.0f s)", sigma, s.macroRecall, s.accuracy,
          (System.nanoTime() - t0) / 1e9);
      if (s.macroRecall > bestRecall) {
        bestRecall = s.macroRecall;
        best = model;
        bestSigma = sigma;
      }
    }
    SentimentModel chosen = best;
    double[][] raw = valFeatures.stream().map(chosen::rawScores).toArray(double[][]::new);
    double[] offsets = tuneOffsets(raw, validation);
    Scores tuned = Scores.of(raw, offsets, validation);
    String description = String.format(
        "CoreNLP LinearClassifier (L2 sigma %.3g, QN) on %d deduplicated SemEval 2013-2016 tweets, %d features (count>=%d); "
            + "offsets neg %.2f pos %.2f; validation macro-recall %.4f (before offsets %.4f), accuracy %.4f",
        bestSigma, pool.examples().size(), dataset.numFeatures(), minCount, offsets[0], offsets[2],
        tuned.macroRecall, bestRecall, tuned.accuracy);
    log("%s", description);
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (OutputStream o = Files.newOutputStream(out)) {
      chosen.withOffsets(offsets, description).write(o, minWeight);
    }
    log("model written to %s (%d bytes)", out, Files.size(out));
  }

  /** Offsets for negative and positive (neutral fixed at 0) that maximise validation macro-recall. */
  static double[] tuneOffsets(double[][] raw, List<TrainingData.Example> gold) {
    double[] best = new double[3];
    double bestRecall = Scores.of(raw, best, gold).macroRecall;
    for (double neg = -1.5; neg <= 1.5001; neg += 0.05) {
      for (double pos = -1.5; pos <= 1.5001; pos += 0.05) {
        double[] o = {neg, 0, pos};
        double r = Scores.of(raw, o, gold).macroRecall;
        if (r > bestRecall + 1e-9) {
          bestRecall = r;
          best = o;
        }
      }
    }
    return best;
  }

  /** Macro-averaged recall and accuracy of labels against gold. */
  record Scores(double macroRecall, double accuracy) {

    static Scores of(double[][] raw, double[] offsets, List<TrainingData.Example> gold) {
      List<String> predicted = new ArrayList<>(raw.length);
      for (double[] r : raw) {
        double[] p = SentimentModel.softmax(r, offsets);
        int b = 0;
        for (int i = 1; i < p.length; i++) {
          b = p[i] > p[b] ? i : b;
        }
        predicted.add(SentimentModel.LABELS.get(b));
      }
      return of(predicted, gold);
    }

    static Scores of(List<String> predicted, List<TrainingData.Example> gold) {
      Map<String, int[]> perLabel = new HashMap<>();
      int correct = 0;
      for (int i = 0; i < gold.size(); i++) {
        int[] c = perLabel.computeIfAbsent(gold.get(i).label(), k -> new int[2]);
        c[1]++;
        if (gold.get(i).label().equals(predicted.get(i))) {
          c[0]++;
          correct++;
        }
      }
      double recall = perLabel.values().stream().mapToDouble(c -> (double) c[0] / c[1]).average().orElse(0);
      return new Scores(recall, (double) correct / gold.size());
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return opts;
  }

  static void log(String format, Object... args) {
    System.err.printf(format + "%n", args);
  }

  private SentimentTrainer() {
  }
}
