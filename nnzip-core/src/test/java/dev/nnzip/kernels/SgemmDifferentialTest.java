package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the Vector API SGEMM against the scalar reference over odd shapes (1, 7, 17, 63, 129 and a few larger ones that
 * cross the KC/NC/MC block edges), both transposes, padded leading dimensions, offsets, alpha/beta, epilogues,
 * pre-packed B and 1 or 2 threads. Every path of {@link VectorSgemm} (blocked with packed B, in-place B for small M,
 * the matrix-vector kernel and the dot-product kernel for a transposed B) is hit by these shapes.
 */
class SgemmDifferentialTest {
    private static final int[] EDGES = {1, 7, 17, 63, 129};
    private static final double REL = 1e-4;
    private static Parallel two;

    @BeforeAll
    static void start() {
        two = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        two.close();
    }

    static Stream<Arguments> edgeShapes() {
        List<Arguments> out = new ArrayList<>();
        for (int m : EDGES) {
            for (int n : EDGES) {
                for (int k : EDGES) {
                    out.add(Arguments.of(m, n, k));
                }
            }
        }
        // Shapes past one KC (256) / NC (512) / MC (180) block, and the MiniLM-like skinny ones.
        out.add(Arguments.of(200, 530, 300));
        out.add(Arguments.of(13, 1536, 384));
        out.add(Arguments.of(32, 384, 1536));
        out.add(Arguments.of(1, 1030, 515));
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("edgeShapes")
    void vectorMatchesScalarForEveryTransposeAndThreadCount(int m, int n, int k) {
        Random r = new Random(31L * m + 17L * n + k);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Case c = Case.random(r, ta, tb, m, n, k, r.nextBoolean() ? 1f : 0.75f, pickBeta(r), Epilogue.none());
                c.check(Parallel.sequential());
                c.check(two);
            }
        }
    }

    private static float pickBeta(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> 0f;
            case 1 -> 1f;
            default -> -0.5f;
        };
    }

    @Test
    void epiloguesMatchScalar() {
        Random r = new Random(7);
        Activation[] acts = {Activation.none(), Activation.relu(), Activation.leakyRelu(0.1f),
                Activation.clip(-0.25f, 0.5f), Activation.sigmoid(), Activation.hardSwish()};
        int[][] shapes = {{1, 70, 33}, {5, 17, 9}, {64, 129, 63}, {7, 200, 300}, {40, 40, 40}};
        for (Activation act : acts) {
            for (int[] s : shapes) {
                for (boolean perRow : new boolean[] {false, true}) {
                    float[] bias = Matrices.random(r, perRow ? s[0] + 3 : s[1] + 3);
                    Epilogue e = new Epilogue(bias, 3, perRow, act);
                    for (boolean tb : new boolean[] {false, true}) {
                        Case.random(r, false, tb, s[0], s[1], s[2], 1f, 0f, e).check(Parallel.sequential());
                        Case.random(r, false, tb, s[0], s[1], s[2], 1f, 1f, e).check(two);
                    }
                }
            }
        }
    }

    @Test
    void prepackedBMatchesScalar() {
        Random r = new Random(11);
        int[][] shapes = {{1, 7, 5}, {1, 1000, 300}, {6, 64, 256}, {17, 129, 63}, {129, 530, 300}, {3, 1000, 17}};
        for (int[] s : shapes) {
            for (boolean tb : new boolean[] {false, true}) {
                Case c = Case.random(r, false, tb, s[0], s[1], s[2], 0.5f, 0f, Epilogue.of(Activation.relu()));
                PackedB packed = PackedB.pack(tb, c.k, c.n, c.b, c.bOff, c.ldb);
                float[] expected = c.c.clone();
                ScalarSgemm.gemm(c.problem(expected, null), Parallel.sequential());
                for (Parallel par : new Parallel[] {Parallel.sequential(), two}) {
                    float[] actual = c.c.clone();
                    VectorSgemm.gemm(c.problem(actual, packed), par);
                    Matrices.assertClose("packed " + Arrays.toString(s), expected, actual, c.scale(), REL);
                }
            }
        }
    }

    @Test
    void betaZeroIgnoresGarbageInC() {
        float[] a = {1, 2, 3, 4};
        float[] b = {1, 0, 0, 1};
        float[] c = {Float.NaN, Float.NaN, Float.POSITIVE_INFINITY, Float.NaN};
        Sgemm.multiply(2, 2, 2, a, b, c);
        assertThat(c).containsExactly(1, 2, 3, 4);
    }

    @Test
    void emptySumScalesCAndAppliesEpilogue() {
        float[] c = {1, -2, 3, -4};
        Sgemm.multiply(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 2f, c, 0, 2,
                Epilogue.rowBias(new float[] {10, 20}, 0, Activation.none()), Parallel.sequential());
        assertThat(c).containsExactly(12, 6, 26, 12);
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        assertThatThrownBy(() -> Sgemm.multiply(2, 2, 2, new float[3], new float[4], new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A: a 2x2 matrix");
        assertThatThrownBy(() -> Sgemm.multiply(false, false, 2, 2, 2, 1f, new float[4], 0, 1, new float[4], 0, 2,
                0f, new float[4], 0, 2, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leading dimension 1");
    }

    @Test
    void facadeUsesTheVectorPathInTests() {
        assertThat(KernelSupport.vectorEnabled()).as(KernelSupport.describe()).isTrue();
    }

    /** One random problem with padded leading dimensions and non-zero offsets. */
    record Case(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, float[] a, int aOff, int lda,
                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue epilogue) {
        static Case random(Random r, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                           Epilogue e) {
            int aRows = ta ? k : m;
            int aCols = ta ? m : k;
            int bRows = tb ? n : k;
            int bCols = tb ? k : n;
            int lda = aCols + r.nextInt(3);
            int ldb = bCols + r.nextInt(3);
            int ldc = n + r.nextInt(3);
            int aOff = r.nextInt(4);
            int bOff = r.nextInt(4);
            int cOff = r.nextInt(4);
            return new Case(ta, tb, m, n, k, alpha, beta,
                    Matrices.random(r, aOff + aRows * lda), aOff, lda,
                    Matrices.random(r, bOff + bRows * ldb), bOff, ldb,
                    Matrices.random(r, cOff + m * ldc), cOff, ldc, e);
        }

        GemmProblem problem(float[] cOut, PackedB packed) {
            return new GemmProblem(ta, packed == null && tb, m, n, k, alpha, a, aOff, lda,
                    packed == null ? b : null, bOff, ldb, packed, beta, cOut, cOff, ldc, epilogue);
        }

        void check(Parallel par) {
            float[] expected = c.clone();
            float[] actual = c.clone();
            ScalarSgemm.gemm(problem(expected, null), Parallel.sequential());
            VectorSgemm.gemm(problem(actual, null), par);
            Matrices.assertClose(this + " threads=" + par.threads(), expected, actual, scale(), REL);
        }

        /** Per element of C: |alpha|·Σ|a||b| + |beta·c| + |bias|, the magnitude rounding errors are relative to. */
        float[] scale() {
            float[] s = new float[c.length];
            Arrays.fill(s, 1f);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int kk = 0; kk < k; kk++) {
                        float av = ta ? a[aOff + kk * lda + i] : a[aOff + i * lda + kk];
                        float bv = tb ? b[bOff + j * ldb + kk] : b[bOff + kk * ldb + j];
                        sum += Math.abs(av * bv);
                    }
                    int idx = cOff + i * ldc + j;
                    s[idx] = (float) (Math.abs(alpha) * sum + Math.abs(beta * c[idx]) + 1);
                }
            }
            return s;
        }

        @Override
        public String toString() {
            return "gemm(ta=" + ta + ", tb=" + tb + ", m=" + m + ", n=" + n + ", k=" + k + ", alpha=" + alpha
                    + ", beta=" + beta + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ", " + epilogue + ")";
        }
    }
}
