package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session hands dead activations' arrays to later outputs of the same length ({@code ops.ActivationPool}): results
 * stay exact, a caller's outputs are never reused, and no kernel mistakes a recycled activation for a constant weight.
 */
class ActivationRecyclingTest {
    private static final int N = 24;

    @TempDir
    Path dir;

    /**
     * t = Transpose(x); p = MatMul(x, t); q = Transpose(p); y = MatMul(q, w). t, p and q are N × N like x: t's array,
     * free once p is computed, comes back for q, and on the next run for t again, with other contents each time; a
     * MatMul that cached its B operand by array identity would multiply by a stale copy from the second run on.
     */
    private Path model(Tensor w) throws Exception {
        return TestModels.create().input("x", DType.FLOAT, N, N)
                .weight("w", w)
                .node("Transpose", "t", new String[] {"x"}, new String[] {"t"})
                .node("MatMul", "p", new String[] {"x", "t"}, new String[] {"p"})
                .node("Transpose", "q", new String[] {"p"}, new String[] {"q"})
                .node("MatMul", "y", new String[] {"q", "w"}, new String[] {"y"})
                .output("y", DType.FLOAT, N, N).write(dir.resolve("m.onnx"));
    }

    @Test
    void recycledArraysGiveExactResultsAndLeaveTheCallersOutputsAlone() throws Exception {
        Tensor weight = TestModels.gaussian(new Random(3), 1f, 0f, N, N);
        float[] w = weight.floats();
        try (Model m = Nnz.load(model(weight))) {
            for (int threads : new int[] {1, 2}) {
                try (Session s = m.newSession(new SessionOptions(threads))) {
                    Random r = new Random(threads);
                    float[][] kept = new float[4][];
                    float[][] expected = new float[4][];
                    for (int run = 0; run < 4; run++) {
                        float[] x = new float[N * N];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) r.nextGaussian();
                        }
                        kept[run] = s.run(Map.of("x", Tensor.of(x, N, N))).get("y").floats();
                        expected[run] = reference(x, w);
                        for (int i = 0; i < N * N; i++) {
                            assertThat(kept[run][i]).as("run %d, %d threads, y[%d]", run, threads, i)
                                    .isCloseTo(expected[run][i], within(1e-3f * Math.abs(expected[run][i]) + 1e-3f));
                        }
                    }
                    // What the session keeps between runs: t's, p's and q's arrays at most (y leaves with the caller).
                    assertThat(s.pooledActivationBytes()).isPositive().isLessThanOrEqualTo(3L * N * N * Float.BYTES);
                    for (int run = 0; run < 4; run++) {
                        for (int later = run + 1; later < 4; later++) {
                            assertThat(kept[later]).as("output of run %d", later).isNotSameAs(kept[run]);
                        }
                        for (int i = 0; i < N * N; i++) {
                            assertThat(kept[run][i]).as("output of run %d after later runs", run)
                                    .isCloseTo(expected[run][i], within(1e-3f * Math.abs(expected[run][i]) + 1e-3f));
                        }
                    }
                }
            }
        }
    }

    /** (x·xᵀ)ᵀ·w in doubles. */
    private static float[] reference(float[] x, float[] w) {
        double[] p = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double sum = 0;
                for (int k = 0; k < N; k++) {
                    sum += (double) x[i * N + k] * x[j * N + k];
                }
                p[i * N + j] = sum;
            }
        }
        float[] y = new float[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double sum = 0;
                for (int k = 0; k < N; k++) {
                    sum += p[k * N + i] * w[k * N + j]; // q = pᵀ
                }
                y[i * N + j] = (float) sum;
            }
        }
        return y;
    }
}
