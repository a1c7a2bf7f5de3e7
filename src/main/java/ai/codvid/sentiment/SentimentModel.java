package ai.codvid.sentiment;

import edu.stanford.nlp.classify.LinearClassifier;
import edu.stanford.nlp.ling.RVFDatum;
import edu.stanford.nlp.stats.Counter;
import edu.stanford.nlp.util.HashIndex;
import edu.stanford.nlp.util.Index;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The English model: a CoreNLP {@link LinearClassifier} over {@link CommentFeatures} plus one
 * additive offset per label (chosen on the validation split to balance recall across labels).
 *
 * <p>Stored as a gzip'ed weight file ({@value #RESOURCE}): a header, the labels and their offsets,
 * then each feature's name and one float weight per label. Immutable and thread-safe.
 */
final class SentimentModel {

  static final String RESOURCE = "/sentiment/model.bin.gz";
  static final List<String> LABELS = List.of(Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE);
  private static final String MAGIC = "codvid-sentiment-model-1";

  private final LinearClassifier<String, String> classifier;
  private final double[] offsets;
  private final String description;

  SentimentModel(LinearClassifier<String, String> classifier, double[] offsets, String description) {
    this.classifier = classifier;
    this.offsets = offsets.clone();
    this.description = description;
  }

  LinearClassifier<String, String> classifier() {
    return classifier;
  }

  String description() {
    return description;
  }

  SentimentModel withOffsets(double[] newOffsets, String newDescription) {
    return new SentimentModel(classifier, newOffsets, newDescription);
  }

  boolean knowsFeature(String feature) {
    return classifier.featureIndex().contains(feature);
  }

  /** Probabilities in {@link #LABELS} order. */
  double[] probabilities(Counter<String> features) {
    return softmax(rawScores(features), offsets);
  }

  double[] rawScores(Counter<String> features) {
    Counter<String> scores = classifier.scoresOf(new RVFDatum<>(features));
    double[] raw = new double[LABELS.size()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = scores.getCount(LABELS.get(i));
    }
    return raw;
  }

  static double[] softmax(double[] raw, double[] offsets) {
    double[] p = new double[raw.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < raw.length; i++) {
      p[i] = raw[i] + offsets[i];
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

  static SentimentModel fromResource() {
    try (InputStream in = SentimentModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing sentiment model resource " + RESOURCE + " (run bench/train-sentiment)");
      }
      return read(in);
    } catch (IOException e) {
      throw new IllegalStateException("Unreadable sentiment model " + RESOURCE, e);
    }
  }

  static SentimentModel read(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
    if (!MAGIC.equals(in.readUTF())) {
      throw new IOException("Not a codvid sentiment model");
    }
    String description = in.readUTF();
    int labels = in.readInt();
    Index<String> labelIndex = new HashIndex<>();
    double[] offsets = new double[labels];
    for (int i = 0; i < labels; i++) {
      labelIndex.add(in.readUTF());
      offsets[i] = in.readDouble();
    }
    int features = in.readInt();
    Index<String> featureIndex = new HashIndex<>(features);
    double[][] weights = new double[features][labels];
    for (int f = 0; f < features; f++) {
      featureIndex.add(in.readUTF());
      for (int l = 0; l < labels; l++) {
        weights[f][l] = in.readFloat();
      }
    }
    double[] ordered = new double[LABELS.size()];
    for (int i = 0; i < LABELS.size(); i++) {
      ordered[i] = offsets[labelIndex.indexOf(LABELS.get(i))];
    }
    return new SentimentModel(new LinearClassifier<>(weights, featureIndex, labelIndex), ordered, description);
  }

  /** Writes the model, leaving out features whose weights are all below {@code minWeight}. */
  void write(OutputStream raw, double minWeight) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16))) {
      out.writeUTF(MAGIC);
      out.writeUTF(description);
      Index<String> labelIndex = classifier.labelIndex();
      out.writeInt(labelIndex.size());
      for (int i = 0; i < labelIndex.size(); i++) {
        out.writeUTF(labelIndex.get(i));
        out.writeDouble(offsets[LABELS.indexOf(labelIndex.get(i))]);
      }
      double[][] weights = classifier.weights();
      Index<String> featureIndex = classifier.featureIndex();
      int kept = 0;
      for (double[] w : weights) {
        kept += keep(w, minWeight) ? 1 : 0;
      }
      out.writeInt(kept);
      for (int f = 0; f < weights.length; f++) {
        if (keep(weights[f], minWeight)) {
          out.writeUTF(featureIndex.get(f));
          for (double w : weights[f]) {
            out.writeFloat((float) w);
          }
        }
      }
    }
  }

  private static boolean keep(double[] w, double minWeight) {
    for (double v : w) {
      if (Math.abs(v) >= minWeight) {
        return true;
      }
    }
    return false;
  }
}
