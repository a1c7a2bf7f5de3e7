package ai.codvid.sentiment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The trained weights: one calibrated {@link LinearHead} per language it reads (English from the
 * SemEval pool, the other UMSAB languages from their own training splits), written by
 * {@link SentimentTrainer} to {@value #RESOURCE}. Weights only — no training text. The
 * description records the training settings and the figures they gave. Immutable, thread-safe.
 */
final class SentimentModel {

  static final String RESOURCE = "/sentiment/model.bin.gz";
  static final List<String> LABELS = List.of(Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE);
  private static final String MAGIC = "codvid-sentiment-model-3";

  private final Map<String, LinearHead> heads;
  private final LanguageRouter router;
  private final String description;

  SentimentModel(Map<String, LinearHead> heads, LanguageRouter router, String description) {
    this.heads = Collections.unmodifiableMap(new LinkedHashMap<>(heads));
    this.router = router;
    this.description = description;
  }

  LanguageRouter router() {
    return router;
  }

  /** The head for an ISO 639-1 language, or null when none reads it. */
  LinearHead head(String language) {
    return language == null ? null : heads.get(language);
  }

  Map<String, LinearHead> heads() {
    return heads;
  }

  String description() {
    return description;
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
      throw new IOException("Not a codvid sentiment model (version 3)");
    }
    String description = readLong(in);
    int n = in.readInt();
    Map<String, LinearHead> heads = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      LinearHead h = LinearHead.read(in);
      heads.put(h.language(), h);
    }
    return new SentimentModel(heads, LanguageRouter.read(in), description);
  }

  void write(OutputStream raw) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16))) {
      out.writeUTF(MAGIC);
      writeLong(out, description);
      out.writeInt(heads.size());
      for (LinearHead h : heads.values()) {
        h.write(out);
      }
      router.write(out);
    }
  }

  private static void writeLong(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLong(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }
}
