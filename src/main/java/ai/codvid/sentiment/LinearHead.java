package ai.codvid.sentiment;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One language's classifier: multinomial logistic regression over sparse named features
 * ({@link CommentFeatures}, weighted by its {@link Vocabulary}: TF-IDF n-gram blocks, raw lexicon
 * features) and, when {@link #usesEncoder()}, the sentence encoder's 384 floats;
 * then calibration of its logits, {@code p = softmax(z / temperature + shift)}, with the
 * temperature and shift fitted on cross-validated out-of-fold predictions of its training pool
 * (never on validation). Labels in {@link SentimentModel#LABELS} order. Immutable, thread-safe.
 */
final class LinearHead {

  static final int LABELS = 3;

  private final String language;
  private final Set<String> groups;
  private final Vocabulary vocabulary;
  private final float[] sparse;
  private final float[] dense;
  private final double[] bias;
  private final double temperature;
  private final double[] shift;
  private final double[] decision;
  private final String description;

  LinearHead(String language, Set<String> groups, Vocabulary vocabulary, float[] sparse, float[] dense,
      double[] bias, double temperature, double[] shift, String description) {
    this(language, groups, vocabulary, sparse, dense, bias, temperature, shift, new double[LABELS], description);
  }

  LinearHead(String language, Set<String> groups, Vocabulary vocabulary, float[] sparse, float[] dense,
      double[] bias, double temperature, double[] shift, double[] decision, String description) {
    this.decision = decision.clone();
    this.language = language;
    this.groups = Set.copyOf(groups);
    this.vocabulary = vocabulary;
    this.sparse = sparse;
    this.dense = dense;
    this.bias = bias.clone();
    this.temperature = temperature;
    this.shift = shift.clone();
    this.description = description;
  }

  String language() {
    return language;
  }

  Set<String> groups() {
    return groups;
  }

  boolean usesEncoder() {
    return dense != null;
  }

  String description() {
    return description;
  }

  Vocabulary vocabulary() {
    return vocabulary;
  }

  LinearHead calibrated(double newTemperature, double[] newShift, double[] newDecision, String newDescription) {
    return new LinearHead(language, groups, vocabulary, sparse, dense, bias, newTemperature, newShift, newDecision, newDescription);
  }

  /**
   * The label: the largest calibrated probability after per-label decision offsets (in log
   * space), chosen by cross-validation to maximise macro-averaged recall while keeping each
   * label's predicted share within a few points of its share in the training pool.
   */
  int decide(double[] probabilities) {
    return decide(probabilities, decision);
  }

  static int decide(double[] p, double[] offsets) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p.length; i++) {
      double s = Math.log(Math.max(p[i], 1e-12)) + offsets[i];
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  }

  double[] decisionOffsets() {
    return decision.clone();
  }

  /** Raw logits of the linear model for a text's raw features ({@link CommentFeatures}) and encoder output. */
  double[] logits(Map<String, Float> features, float[] embedding) {
    return logits(vocabulary.vectorize(features), embedding);
  }

  double[] logits(Vocabulary.Row row, float[] embedding) {
    double[] z = bias.clone();
    int[] idx = row.idx();
    float[] val = row.val();
    for (int k = 0; k < idx.length; k++) {
      float v = val[k];
      int o = idx[k] * LABELS;
      z[0] += sparse[o] * v;
      z[1] += sparse[o + 1] * v;
      z[2] += sparse[o + 2] * v;
    }
    if (dense != null && embedding != null) {
      for (int d = 0; d < embedding.length; d++) {
        float v = embedding[d];
        int o = d * LABELS;
        z[0] += dense[o] * v;
        z[1] += dense[o + 1] * v;
        z[2] += dense[o + 2] * v;
      }
    }
    return z;
  }

  /** Calibrated probabilities. */
  double[] probabilities(Map<String, Float> features, float[] embedding) {
    return calibrate(logits(features, embedding), temperature, shift);
  }

  static double[] calibrate(double[] z, double temperature, double[] shift) {
    double[] p = new double[z.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < z.length; i++) {
      p[i] = z[i] / temperature + shift[i];
      max = Math.max(max, p[i]);
    }
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(p[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeUTF(language);
    out.writeUTF(String.join(",", groups));
    out.writeUTF(description);
    out.writeDouble(temperature);
    for (int i = 0; i < LABELS; i++) {
      out.writeDouble(bias[i]);
      out.writeDouble(shift[i]);
      out.writeDouble(decision[i]);
    }
    vocabulary.write(out);
    for (float w : sparse) {
      out.writeFloat(w);
    }
    out.writeInt(dense == null ? 0 : dense.length);
    if (dense != null) {
      for (float w : dense) {
        out.writeFloat(w);
      }
    }
  }

  static LinearHead read(DataInputStream in) throws IOException {
    String language = in.readUTF();
    String groupList = in.readUTF();
    Set<String> groups = groupList.isEmpty() ? Set.of() : Set.copyOf(List.of(groupList.split(",")));
    String description = in.readUTF();
    double temperature = in.readDouble();
    double[] bias = new double[LABELS];
    double[] shift = new double[LABELS];
    double[] decision = new double[LABELS];
    for (int i = 0; i < LABELS; i++) {
      bias[i] = in.readDouble();
      shift[i] = in.readDouble();
      decision[i] = in.readDouble();
    }
    Vocabulary vocabulary = Vocabulary.read(in);
    float[] sparse = new float[vocabulary.size() * LABELS];
    for (int i = 0; i < sparse.length; i++) {
      sparse[i] = in.readFloat();
    }
    int d = in.readInt();
    float[] dense = null;
    if (d > 0) {
      dense = new float[d];
      for (int i = 0; i < d; i++) {
        dense[i] = in.readFloat();
      }
    }
    return new LinearHead(language, groups, vocabulary, sparse, dense, bias, temperature, shift, decision, description);
  }
}
