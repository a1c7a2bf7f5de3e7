package ai.codvid.sentiment;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A head's feature vocabulary and weighting, the same at training and at run time. Word and
 * character n-grams are TF-IDF weighted as in the usual text-classification recipe: sublinear
 * term frequency {@code 1 + ln(tf)} times the smoothed inverse document frequency
 * {@code ln((1 + n) / (1 + df)) + 1} of the training pool, then each of the two blocks is
 * L2-normalised on its own (so a long comment and a short one weigh the same, and neither block
 * drowns the other). Features seen in fewer than {@code minDf} training texts are dropped.
 * Lexicon features keep their raw value (their idf is stored as 0). Immutable, thread-safe.
 */
final class Vocabulary {

  /** Block of a feature: 0 words, 1 characters, 2 raw (lexicon). */
  private static final int WORDS = 0;
  private static final int CHARS = 1;
  private static final int RAW = 2;

  /** Indexed features and values of one text, ready for a dot product. */
  record Row(int[] idx, float[] val) {
  }

  private final Map<String, Integer> index;
  private final String[] names;
  private final float[] idf;
  /** Block of each feature, worked out once here rather than from its name for every comment. */
  private final byte[] blocks;

  private Vocabulary(String[] names, float[] idf) {
    this.names = names;
    this.idf = idf;
    this.index = new HashMap<>(names.length * 4 / 3 + 1);
    this.blocks = new byte[names.length];
    for (int i = 0; i < names.length; i++) {
      index.put(names[i], i);
      blocks[i] = (byte) block(names[i]);
    }
  }

  int size() {
    return names.length;
  }

  String name(int i) {
    return names[i];
  }

  Integer indexOf(String feature) {
    return index.get(feature);
  }

  static int block(String feature) {
    String g = CommentFeatures.groupOf(feature);
    return g.equals(CommentFeatures.WORDS) ? WORDS : g.equals(CommentFeatures.CHARS) ? CHARS : RAW;
  }

  /** The vocabulary of a training pool: features in at least {@code minDf} texts, sorted by name. */
  static Vocabulary fit(List<Map<String, Float>> rows, int minDf) {
    Map<String, Integer> df = new HashMap<>();
    for (Map<String, Float> r : rows) {
      for (Map.Entry<String, Float> e : r.entrySet()) {
        if (e.getValue() != 0) {
          df.merge(e.getKey(), 1, Integer::sum);
        }
      }
    }
    String[] names = df.entrySet().stream().filter(e -> e.getValue() >= minDf).map(Map.Entry::getKey).sorted().toArray(String[]::new);
    float[] idf = new float[names.length];
    double n = rows.size();
    for (int i = 0; i < names.length; i++) {
      idf[i] = block(names[i]) == RAW ? 0f : (float) (Math.log((1 + n) / (1 + df.get(names[i]))) + 1);
    }
    return new Vocabulary(names, idf);
  }

  /** Weighted, block-normalised values of a text's raw features (counts for n-grams); unknown features are dropped. */
  Row vectorize(Map<String, Float> raw) {
    int[] idx = new int[raw.size()];
    float[] val = new float[raw.size()];
    int n = 0;
    double[] norm = new double[2];
    for (Map.Entry<String, Float> e : raw.entrySet()) {
      Integer i = index.get(e.getKey());
      float v = e.getValue();
      if (i == null || v == 0) {
        continue;
      }
      float w = idf[i];
      if (w != 0) {
        v = (float) ((1 + Math.log(v)) * w);
        norm[blocks[i]] += (double) v * v;
      }
      idx[n] = i;
      val[n++] = v;
    }
    double words = norm[WORDS] > 0 ? 1 / Math.sqrt(norm[WORDS]) : 0;
    double chars = norm[CHARS] > 0 ? 1 / Math.sqrt(norm[CHARS]) : 0;
    for (int k = 0; k < n; k++) {
      if (idf[idx[k]] != 0) {
        val[k] *= (float) (blocks[idx[k]] == WORDS ? words : chars);
      }
    }
    return new Row(Arrays.copyOf(idx, n), Arrays.copyOf(val, n));
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(names.length);
    for (int i = 0; i < names.length; i++) {
      out.writeUTF(names[i]);
      out.writeFloat(idf[i]);
    }
  }

  static Vocabulary read(DataInputStream in) throws IOException {
    int n = in.readInt();
    String[] names = new String[n];
    float[] idf = new float[n];
    for (int i = 0; i < n; i++) {
      names[i] = in.readUTF();
      idf[i] = in.readFloat();
    }
    return new Vocabulary(names, idf);
  }

  /** A vocabulary of the given names and idf values (tests). */
  static Vocabulary of(List<String> names, List<Float> idf) {
    float[] w = new float[idf.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = idf.get(i);
    }
    return new Vocabulary(names.toArray(String[]::new), w);
  }

  List<String> names() {
    return new ArrayList<>(List.of(names));
  }
}
