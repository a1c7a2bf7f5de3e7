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
    LinearTrainer.Indexer indexer = new LinearTrainer.Indexer(rows, 2);
    LinearTrainer.Data data = indexer.data(rows, dense, y);
    double[] w = LinearTrainer.minimize(data, new LinearTrainer.Settings(1e-3, 1e-3, true), null);
    double[][] z = LinearTrainer.logits(data, w);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      correct += SentimentTrainer.argmax(z[i]) == y[i] ? 1 : 0;
    }
    assertEquals(n, correct);
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
    LinearHead head = new LinearHead("xx", Set.of(CommentFeatures.WORDS, CommentFeatures.ENCODER), Map.of("w|good", 0, "w|bad", 1),
        new float[] {-1, 0, 2, 2, 0, -1}, new float[] {0.5f, 0, -0.5f, 0, 1, 0}, new double[] {0.1, 0.2, 0.3}, 1.5,
        new double[] {0.05, 0, -0.05}, "test head");
    LanguageRouter router = new LanguageRouter(List.of("xx", "yy"), Map.of("w|good", new float[] {1, -1}), new float[] {0, 0});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SentimentModel(Map.of("xx", head), router, "a description").write(out);
    SentimentModel back = SentimentModel.read(new ByteArrayInputStream(out.toByteArray()));
    Map<String, Float> f = Map.of("w|good", 1f, "w|unknown", 1f);
    float[] e = {0.3f, -0.2f};
    assertArrayEquals(head.probabilities(f, e), back.head("xx").probabilities(f, e), 1e-12);
    assertEquals("a description", back.description());
    assertArrayEquals(router.probabilities("good"), back.router().probabilities("good"), 1e-12);
  }
}
