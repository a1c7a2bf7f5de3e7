package ai.codvid.sentiment;

import edu.stanford.nlp.optimization.DiffFunction;
import edu.stanford.nlp.optimization.QNMinimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Fits {@link LinearHead} weights: class-weighted multinomial logistic regression, L2 penalties
 * of their own for the sparse and the encoder weights (the bias is not penalised), minimised with
 * CoreNLP's L-BFGS ({@link QNMinimizer}); the gradient is summed over the cores in parallel.
 * Also fits the calibration (temperature and shift) on out-of-fold logits. For training only.
 */
final class LinearTrainer {

  static final int L = LinearHead.LABELS;

  /** Examples as indexed sparse features plus optional dense vectors, with labels 0..2. */
  record Data(int[][] idx, float[][] val, float[][] dense, int[] y, int features, int dims) {

    Data subset(int[] rows) {
      int[][] i = new int[rows.length][];
      float[][] v = new float[rows.length][];
      float[][] d = dense == null ? null : new float[rows.length][];
      int[] yy = new int[rows.length];
      for (int r = 0; r < rows.length; r++) {
        i[r] = idx[rows[r]];
        v[r] = val[rows[r]];
        if (d != null) {
          d[r] = dense[rows[r]];
        }
        yy[r] = y[rows[r]];
      }
      return new Data(i, v, d, yy, features, dims);
    }

    int size() {
      return y.length;
    }
  }

  /** Settings of one fit. */
  record Settings(double sparseL2, double denseL2, boolean balanced) {
  }

  /** Fitted weights. */
  record Weights(float[] sparse, float[] dense, double[] bias) {
  }

  static Weights fit(Data data, Settings s, double[] init) {
    double[] w = minimize(data, s, init);
    return unpack(w, data);
  }

  static double[] minimize(Data data, Settings s, double[] init) {
    Objective f = new Objective(data, s);
    QNMinimizer qn = new QNMinimizer(15, true);
    qn.shutUp();
    double[] start = init != null && init.length == f.domainDimension() ? init.clone() : new double[f.domainDimension()];
    return qn.minimize(f, 1e-5, start, 400);
  }

  static Weights unpack(double[] w, Data data) {
    float[] sparse = new float[data.features() * L];
    for (int i = 0; i < sparse.length; i++) {
      sparse[i] = (float) w[i];
    }
    float[] dense = null;
    if (data.dims() > 0) {
      dense = new float[data.dims() * L];
      for (int i = 0; i < dense.length; i++) {
        dense[i] = (float) w[sparse.length + i];
      }
    }
    int b = (data.features() + data.dims()) * L;
    return new Weights(sparse, dense, new double[] {w[b], w[b + 1], w[b + 2]});
  }

  static double[][] logits(Data data, double[] w) {
    double[][] z = new double[data.size()][];
    IntStream.range(0, data.size()).parallel().forEach(r -> z[r] = row(data, w, r));
    return z;
  }

  private static double[] row(Data data, double[] w, int r) {
    int b = (data.features() + data.dims()) * L;
    double[] z = {w[b], w[b + 1], w[b + 2]};
    int[] idx = data.idx()[r];
    float[] val = data.val()[r];
    for (int k = 0; k < idx.length; k++) {
      int o = idx[k] * L;
      z[0] += w[o] * val[k];
      z[1] += w[o + 1] * val[k];
      z[2] += w[o + 2] * val[k];
    }
    if (data.dims() > 0) {
      float[] d = data.dense()[r];
      int base = data.features() * L;
      for (int k = 0; k < d.length; k++) {
        int o = base + k * L;
        z[0] += w[o] * d[k];
        z[1] += w[o + 1] * d[k];
        z[2] += w[o + 2] * d[k];
      }
    }
    return z;
  }

  static double[] classWeights(int[] y, boolean balanced) {
    double[] c = new double[L];
    if (!balanced) {
      Arrays.fill(c, 1);
      return c;
    }
    int[] n = new int[L];
    for (int v : y) {
      n[v]++;
    }
    for (int l = 0; l < L; l++) {
      c[l] = n[l] == 0 ? 0 : (double) y.length / (L * n[l]);
    }
    return c;
  }

  private static final class Objective implements DiffFunction {
    private final Data data;
    private final Settings s;
    private final double[] classWeight;
    private final double total;
    private final int dim;
    private double[] lastX;
    private double lastValue;
    private double[] lastGrad;

    Objective(Data data, Settings s) {
      this.data = data;
      this.s = s;
      this.classWeight = classWeights(data.y(), s.balanced());
      double t = 0;
      for (int v : data.y()) {
        t += classWeight[v];
      }
      this.total = t;
      this.dim = (data.features() + data.dims()) * L + L;
    }

    @Override
    public int domainDimension() {
      return dim;
    }

    @Override
    public double valueAt(double[] x) {
      ensure(x);
      return lastValue;
    }

    @Override
    public double[] derivativeAt(double[] x) {
      ensure(x);
      return lastGrad;
    }

    private void ensure(double[] x) {
      if (lastX != null && Arrays.equals(lastX, x)) {
        return;
      }
      int chunks = Math.max(1, Runtime.getRuntime().availableProcessors());
      int per = (data.size() + chunks - 1) / chunks;
      List<double[]> grads = new ArrayList<>();
      double[] losses = new double[chunks];
      for (int c = 0; c < chunks; c++) {
        grads.add(new double[dim]);
      }
      IntStream.range(0, chunks).parallel().forEach(c -> {
        double[] g = grads.get(c);
        double loss = 0;
        int base = data.features() * L;
        int b = (data.features() + data.dims()) * L;
        for (int r = c * per; r < Math.min(data.size(), (c + 1) * per); r++) {
          double[] z = row(data, x, r);
          double max = Math.max(z[0], Math.max(z[1], z[2]));
          double sum = Math.exp(z[0] - max) + Math.exp(z[1] - max) + Math.exp(z[2] - max);
          double logZ = max + Math.log(sum);
          int y = data.y()[r];
          double cw = classWeight[y];
          loss += cw * (logZ - z[y]);
          double[] err = new double[L];
          for (int l = 0; l < L; l++) {
            err[l] = cw * (Math.exp(z[l] - logZ) - (l == y ? 1 : 0));
            g[b + l] += err[l];
          }
          int[] idx = data.idx()[r];
          float[] val = data.val()[r];
          for (int k = 0; k < idx.length; k++) {
            int o = idx[k] * L;
            g[o] += err[0] * val[k];
            g[o + 1] += err[1] * val[k];
            g[o + 2] += err[2] * val[k];
          }
          if (data.dims() > 0) {
            float[] d = data.dense()[r];
            for (int k = 0; k < d.length; k++) {
              int o = base + k * L;
              g[o] += err[0] * d[k];
              g[o + 1] += err[1] * d[k];
              g[o + 2] += err[2] * d[k];
            }
          }
        }
        losses[c] = loss;
      });
      double[] grad = new double[dim];
      double value = 0;
      for (int c = 0; c < chunks; c++) {
        value += losses[c];
        double[] g = grads.get(c);
        for (int i = 0; i < dim; i++) {
          grad[i] += g[i];
        }
      }
      value /= total;
      for (int i = 0; i < dim; i++) {
        grad[i] /= total;
      }
      int sparseEnd = data.features() * L;
      int denseEnd = (data.features() + data.dims()) * L;
      for (int i = 0; i < denseEnd; i++) {
        double l2 = i < sparseEnd ? s.sparseL2() : s.denseL2();
        value += 0.5 * l2 * x[i] * x[i];
        grad[i] += l2 * x[i];
      }
      lastX = x.clone();
      lastValue = value;
      lastGrad = grad;
    }
  }

  /** Temperature and per-label shift minimising the log-loss of {@code softmax(z / T + shift)} on (out-of-fold) logits. */
  static double[] fitCalibration(double[][] z, int[] y) {
    DiffFunction f = new DiffFunction() {
      @Override
      public double valueAt(double[] x) {
        return evaluate(x)[0];
      }

      @Override
      public double[] derivativeAt(double[] x) {
        double[] e = evaluate(x);
        return Arrays.copyOfRange(e, 1, e.length);
      }

      @Override
      public int domainDimension() {
        return 1 + L;
      }

      /** x = [log(1/T), shift0, shift1, shift2]; returns [loss, gradient...]. */
      private double[] evaluate(double[] x) {
        double a = Math.exp(x[0]);
        double loss = 0;
        double[] g = new double[1 + L];
        for (int r = 0; r < z.length; r++) {
          double[] u = new double[L];
          double max = Double.NEGATIVE_INFINITY;
          for (int l = 0; l < L; l++) {
            u[l] = a * z[r][l] + x[1 + l];
            max = Math.max(max, u[l]);
          }
          double sum = 0;
          for (int l = 0; l < L; l++) {
            sum += Math.exp(u[l] - max);
          }
          double logZ = max + Math.log(sum);
          loss += logZ - u[y[r]];
          double dA = 0;
          for (int l = 0; l < L; l++) {
            double err = Math.exp(u[l] - logZ) - (l == y[r] ? 1 : 0);
            g[1 + l] += err;
            dA += err * z[r][l];
          }
          g[0] += dA * a;
        }
        double[] out = new double[2 + L];
        out[0] = loss / z.length + 1e-6 * (x[1] * x[1] + x[2] * x[2] + x[3] * x[3]);
        for (int i = 0; i < g.length; i++) {
          out[1 + i] = g[i] / z.length + (i > 0 ? 2e-6 * x[i] : 0);
        }
        return out;
      }
    };
    QNMinimizer qn = new QNMinimizer(10, true);
    qn.shutUp();
    double[] x = qn.minimize(f, 1e-8, new double[1 + L], 200);
    return new double[] {1 / Math.exp(x[0]), x[1], x[2], x[3]};
  }

  /** Rows of raw feature maps weighted by {@code vocabulary}, with optional dense vectors. */
  static Data data(Vocabulary vocabulary, List<Map<String, Float>> examples, float[][] dense, int[] y) {
    int[][] idx = new int[examples.size()][];
    float[][] val = new float[examples.size()][];
    IntStream.range(0, examples.size()).parallel().forEach(r -> {
      Vocabulary.Row row = vocabulary.vectorize(examples.get(r));
      idx[r] = row.idx();
      val[r] = row.val();
    });
    return new Data(idx, val, dense, y, vocabulary.size(), dense == null ? 0 : dense[0].length);
  }

  private LinearTrainer() {
  }
}
