package ai.codvid.sentiment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encoder outputs of the training texts kept on disk between training runs (under
 * {@code bench/out/}, never committed), keyed by a SHA-256 prefix of the encoder's input: the
 * encoder is deterministic, so a retrain only encodes texts it has not seen. Holds vectors, not
 * texts. For the trainer only; not thread-safe.
 */
final class EmbeddingCache {

  private final Path file;
  private final Map<Long, float[]> vectors = new HashMap<>();

  EmbeddingCache(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
        while (true) {
          long key;
          try {
            key = in.readLong();
          } catch (EOFException end) {
            break;
          }
          float[] v = new float[SentenceEncoder.DIMENSIONS];
          for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
          }
          vectors.put(key, v);
        }
      } catch (EOFException truncated) {
        // a run stopped mid-write: the complete entries before it are kept
      }
    }
  }

  /** Vectors for every text, encoding (and appending to the file) those not cached yet. */
  float[][] embed(List<String> encoderTexts, SentenceEncoder encoder) throws IOException {
    List<String> missing = new ArrayList<>();
    List<Long> missingKeys = new ArrayList<>();
    java.util.Set<Long> queued = new java.util.HashSet<>();
    for (String t : encoderTexts) {
      long k = key(t);
      if (!vectors.containsKey(k) && queued.add(k)) {
        missing.add(t);
        missingKeys.add(k);
      }
    }
    if (!missing.isEmpty()) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      long t0 = System.nanoTime();
      int step = 2048;
      for (int from = 0; from < missing.size(); from += step) {
        int to = Math.min(missing.size(), from + step);
        List<String> part = missing.subList(from, to);
        float[][] done = encodeParallel(part, encoder);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16))) {
          for (int i = 0; i < done.length; i++) {
            long k = missingKeys.get(from + i);
            vectors.put(k, done[i]);
            out.writeLong(k);
            for (float f : done[i]) {
              out.writeFloat(f);
            }
          }
        }
        SentimentTrainer.log("encoded %d / %d new texts (%.0f texts/s)", to, missing.size(),
            to / ((System.nanoTime() - t0) / 1e9));
      }
    }
    float[][] out = new float[encoderTexts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = vectors.get(key(encoderTexts.get(i)));
    }
    return out;
  }

  private static float[][] encodeParallel(List<String> texts, SentenceEncoder encoder) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    int per = (texts.size() + threads - 1) / threads;
    List<List<String>> parts = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += per) {
      parts.add(texts.subList(from, Math.min(texts.size(), from + per)));
    }
    List<float[][]> results = parts.parallelStream().map(encoder::encode).toList();
    float[][] out = new float[texts.size()][];
    int i = 0;
    for (float[][] r : results) {
      for (float[] v : r) {
        out[i++] = v;
      }
    }
    return out;
  }

  static long key(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long k = 0;
      for (int i = 0; i < 8; i++) {
        k = (k << 8) | (d[i] & 0xFF);
      }
      return k;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
