package ai.codvid.sentiment;

import edu.stanford.nlp.classify.LinearClassifier;
import edu.stanford.nlp.classify.LinearClassifierFactory;
import edu.stanford.nlp.classify.RVFDataset;
import edu.stanford.nlp.ling.RVFDatum;
import edu.stanford.nlp.stats.ClassicCounter;
import edu.stanford.nlp.stats.Counter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tells apart the languages that have a sentiment head (ar, de, en, es, fr, hi — romanised
 * Hindi and Hinglish too, which general detectors do not know —, it, pt) on short informal
 * text: logistic regression over character 1–4-grams and words, trained on the heads' own
 * training tweets. It cannot say "another language"; {@link LanguageGuesser} (optimaize, 47
 * languages) does that in {@link SentimentClassifier}. Immutable, thread-safe.
 */
final class LanguageRouter {

  private static final Pattern NOISE = Pattern.compile("(?i)https?://\\S+|www\\.\\S+|@[\\p{L}\\p{N}_.]+|#|\\p{N}+");

  private final List<String> languages;
  private final Map<String, float[]> weights;
  private final float[] bias;

  LanguageRouter(List<String> languages, Map<String, float[]> weights, float[] bias) {
    this.languages = List.copyOf(languages);
    this.weights = weights;
    this.bias = bias;
  }

  List<String> languages() {
    return languages;
  }

  /** Probabilities in {@link #languages()} order. */
  double[] probabilities(String text) {
    double[] z = new double[languages.size()];
    for (int i = 0; i < z.length; i++) {
      z[i] = bias[i];
    }
    for (String f : features(text).keySet()) {
      float[] w = weights.get(f);
      if (w != null) {
        for (int i = 0; i < z.length; i++) {
          z[i] += w[i];
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      z[i] = Math.exp(z[i] - max);
      sum += z[i];
    }
    for (int i = 0; i < z.length; i++) {
      z[i] /= sum;
    }
    return z;
  }

  /** Letters only (links, handles, digits and # dropped), lower-cased, long letter runs squeezed to two. */
  static String letters(String text) {
    return CommentFeatures.squeeze(NOISE.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT));
  }

  static Counter<String> features(String text) {
    Counter<String> f = new ClassicCounter<>();
    f.setCount("BIAS", 1);
    for (String word : letters(text).split("[^\\p{L}\\p{M}']+")) {
      if (word.isEmpty()) {
        continue;
      }
      f.setCount("w|" + word, 1);
      String padded = " " + word + " ";
      int[] cps = padded.codePoints().toArray();
      for (int n = 1; n <= 4; n++) {
        for (int i = 0; i + n <= cps.length; i++) {
          if (n == 1 && (cps[i] == ' ')) {
            continue;
          }
          f.setCount("c|" + new String(cps, i, n), 1);
        }
      }
    }
    return f;
  }

  /** Trains on (language, text) pairs; {@code sigma} is CoreNLP's Gaussian prior width. */
  static LanguageRouter train(List<String> languages, List<String[]> examples, double sigma) {
    RVFDataset<String, String> data = new RVFDataset<>();
    for (String[] e : examples) {
      data.add(new RVFDatum<>(features(e[1]), e[0]));
    }
    data.applyFeatureCountThreshold(2);
    LinearClassifierFactory<String, String> factory = new LinearClassifierFactory<>(1e-4, false, sigma);
    factory.setVerbose(false);
    LinearClassifier<String, String> c = factory.trainClassifier(data);
    Map<String, float[]> weights = new HashMap<>();
    double[][] w = c.weights();
    for (int f = 0; f < w.length; f++) {
      float[] row = new float[languages.size()];
      boolean any = false;
      for (int l = 0; l < languages.size(); l++) {
        int li = c.labelIndex().indexOf(languages.get(l));
        row[l] = li < 0 ? 0 : (float) w[f][li];
        any |= Math.abs(row[l]) >= 0.01f;
      }
      if (any) {
        weights.put(c.featureIndex().get(f), row);
      }
    }
    return new LanguageRouter(languages, weights, new float[languages.size()]);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(languages.size());
    for (int i = 0; i < languages.size(); i++) {
      out.writeUTF(languages.get(i));
      out.writeFloat(bias[i]);
    }
    out.writeInt(weights.size());
    for (Map.Entry<String, float[]> e : weights.entrySet()) {
      out.writeUTF(e.getKey());
      for (float v : e.getValue()) {
        out.writeFloat(v);
      }
    }
  }

  static LanguageRouter read(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<String> languages = new ArrayList<>(n);
    float[] bias = new float[n];
    for (int i = 0; i < n; i++) {
      languages.add(in.readUTF());
      bias[i] = in.readFloat();
    }
    int features = in.readInt();
    Map<String, float[]> weights = new HashMap<>(features * 4 / 3 + 1);
    for (int f = 0; f < features; f++) {
      String name = in.readUTF();
      float[] row = new float[n];
      for (int i = 0; i < n; i++) {
        row[i] = in.readFloat();
      }
      weights.put(name, row);
    }
    return new LanguageRouter(languages, weights, bias);
  }
}
