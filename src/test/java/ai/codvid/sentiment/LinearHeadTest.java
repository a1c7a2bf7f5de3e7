package ai.codvid.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The trainer's logistic regression and calibration on synthetic data, and the weight file round trip. */
class LinearHeadTest {

  @Test
  @DisplayName("Logistic regression learns which sparse and dense features mark each label")
  void learnsSeparableData() {
    Random r = new Random(7);
    List<Map<String, Float>> rows = new ArrayList<>();
    int n = 600;
    int[] y = new int[n];
    float[][] dense = new float[n][2];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      rows.add(Map.of("w|" + List.of("bad", "meh", "good").get(y[i]), 1f, "w|noise" + r.nextInt(5), 1f));
      dense[i][0] = (float) (y[i] - 1 + r.nextGaussian() * 0.3);
      dense[i][1] = (float) r.nextGaussian();
    }
    LinearTrainer.Data data = LinearTrainer.data(Vocabulary.fit(rows, 2), rows, dense, y);
    double[] w = LinearTrainer.minimize(data, new LinearTrainer.Settings(1e-3, 1e-3, true), null);
    double[][] z = LinearTrainer.logits(data, w);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      correct += SentimentTrainer.argmax(z[i]) == y[i] ? 1 : 0;
    }
    assertEquals(n, correct);
  }

  @Test
  @DisplayName("N-gram blocks are TF-IDF weighted with sublinear counts and L2-normalised each on its own; lexicon values stay raw")
  void tfidfBlocks() {
    List<Map<String, Float>> pool = List.of(
        Map.of("w|good", 1f, "w|day", 1f, "c|go", 1f, "lex_pos", 0.5f),
        Map.of("w|good", 1f, "c|go", 1f, "c|da", 1f, "lex_pos", 0.2f),
        Map.of("w|day", 1f, "c|da", 1f, "w|once", 1f));
    Vocabulary v = Vocabulary.fit(pool, 2);
    assertEquals(List.of("c|da", "c|go", "lex_pos", "w|day", "w|good"), v.names(), "features in fewer than 2 texts are dropped");
    Vocabulary.Row row = v.vectorize(Map.of("w|good", 3f, "w|day", 1f, "c|go", 1f, "lex_pos", 0.5f, "w|unseen", 1f));
    double idf2 = Math.log(4.0 / 3) + 1; // seen in 2 of 3 texts, smoothed
    double good = (1 + Math.log(3)) * idf2;
    double day = idf2;
    double norm = Math.sqrt(good * good + day * day);
    Map<String, Float> got = new java.util.HashMap<>();
    for (int k = 0; k < row.idx().length; k++) {
      got.put(v.name(row.idx()[k]), row.val()[k]);
    }
    assertEquals(Set.of("w|good", "w|day", "c|go", "lex_pos"), got.keySet(), "unknown features are dropped");
    assertEquals(0.5, got.get("lex_pos"), 1e-6, "lexicon values are not weighted");
    assertEquals(good / norm, got.get("w|good"), 1e-6);
    assertEquals(day / norm, got.get("w|day"), 1e-6);
    assertEquals(1.0, got.get("c|go"), 1e-6, "the character block is normalised on its own");
  }

  @Test
  @DisplayName("Calibration recovers the temperature of over-confident logits")
  void calibrationFindsTemperature() {
    Random r = new Random(11);
    int n = 4000;
    double[][] z = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double[] truth = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
      double[] p = LinearHead.calibrate(truth, 1, new double[3]);
      double u = r.nextDouble();
      y[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
      z[i] = new double[] {3 * truth[0], 3 * truth[1], 3 * truth[2]};
    }
    double[] cal = LinearTrainer.fitCalibration(z, y);
    assertTrue(Math.abs(cal[0] - 3) < 0.4, "temperature " + cal[0]);
    SentimentTrainer.Metrics before = SentimentTrainer.Metrics.of(SentimentTrainer.calibrated(z, new double[] {1, 0, 0, 0}), y);
    SentimentTrainer.Metrics after = SentimentTrainer.Metrics.of(SentimentTrainer.calibrated(z, cal), y);
    assertTrue(after.ece() < before.ece() / 2, "ECE " + before.ece() + " -> " + after.ece());
  }

  @Test
  @DisplayName("A model written and read back gives the same calibrated probabilities")
  void roundTrip() throws Exception {
    LinearHead head = new LinearHead("xx", Set.of(CommentFeatures.WORDS, CommentFeatures.ENCODER),
        Vocabulary.of(List.of("w|good", "w|bad", "lex_pos"), List.of(1.2f, 1.5f, 0f)), new float[] {-1, 0, 2, 2, 0, -1, 0.5f, 0, 0}, new float[] {0.5f, 0, -0.5f, 0, 1, 0}, new double[] {0.1, 0.2, 0.3}, 1.5,
        new double[] {0.05, 0, -0.05}, "test head");
    LanguageRouter router = new LanguageRouter(List.of("xx", "yy"), Map.of("w|good", new float[] {1, -1}), new float[] {0, 0});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SentimentModel(Map.of("xx", head), router, "a description").write(out);
    SentimentModel back = SentimentModel.read(new ByteArrayInputStream(out.toByteArray()));
    Map<String, Float> f = Map.of("w|good", 1f, "w|bad", 2f, "w|unknown", 1f, "lex_pos", 0.7f);
    float[] e = {0.3f, -0.2f};
    assertArrayEquals(head.probabilities(f, e), back.head("xx").probabilities(f, e), 1e-12);
    assertArrayEquals(head.vocabulary().vectorize(f).val(), back.head("xx").vocabulary().vectorize(f).val());
    assertEquals("a description", back.description());
    assertArrayEquals(router.probabilities("good"), back.router().probabilities("good"), 1e-12);
  }
}
