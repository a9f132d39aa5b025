package dev.nnzip.ops.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Operator-level behaviour the ONNX node tests do not reach: MatMul broadcasting and 1-D operands, integer and double
 * products, Gemm's C broadcasting and beta = 0, auto_pad placement, ConvTranspose output_shape with groups, pool
 * variants, the fused forms, and the errors for bad inputs.
 */
class NnOpsTest {
    private static final OpRegistry REGISTRY = registry();
    private final Random random = new Random(9);

    private static OpRegistry registry() {
        OpRegistry r = new OpRegistry();
        NnOps.register(r);
        return r;
    }

    private static Tensor[] run(String op, List<Attribute> attrs, int outputs, Tensor... in) {
        return run("", op, attrs, outputs, in);
    }

    private static Tensor[] run(String domain, String op, List<Attribute> attrs, int outputs, Tensor... in) {
        List<String> ins = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            ins.add(in[i] == null ? "" : "i" + i);
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add("o" + i);
        }
        Node node = new Node("n", op, domain, ins, outs, new Attributes(attrs));
        try (Parallel two = new Parallel(2)) {
            return REGISTRY.create(node, 17).run(in, new ExecContext(two));
        }
    }

    private static Attribute ints(String name, long... v) {
        return new Attribute(name, Attribute.Type.INTS, v);
    }

    private static Attribute str(String name, String v) {
        return new Attribute(name, Attribute.Type.STRING, v);
    }

    private static Attribute num(String name, long v) {
        return new Attribute(name, Attribute.Type.INT, v);
    }

    private static Attribute real(String name, float v) {
        return new Attribute(name, Attribute.Type.FLOAT, v);
    }

    private Tensor rand(int... shape) {
        float[] d = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextFloat() * 2 - 1;
        }
        return Tensor.of(d, shape);
    }

    private static Tensor iota(int... shape) {
        float[] d = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        return Tensor.of(d, shape);
    }

    // ---- MatMul ----------------------------------------------------------------------------------------------------

    @Test
    void matMulBroadcastsBatchDimensions() {
        Tensor a = rand(2, 1, 3, 4);
        Tensor b = rand(5, 4, 6);
        Tensor y = run("MatMul", List.of(), 1, a, b)[0];
        assertThat(y.shape()).containsExactly(2, 5, 3, 6);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 6; c++) {
                        double s = 0;
                        for (int k = 0; k < 4; k++) {
                            s += a.floats()[(i * 3 + r) * 4 + k] * b.floats()[(j * 4 + k) * 6 + c];
                        }
                        assertThat(y.floats()[((i * 5 + j) * 3 + r) * 6 + c]).isCloseTo((float) s, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void matMulReusesPackedWeightsOnlyWhileTheyAreTheSameArray() {
        Node node = new Node("n", "MatMul", "", List.of("a", "w"), List.of("y"), new Attributes(List.of()));
        OpKernel kernel = REGISTRY.create(node, 17);
        Tensor w = rand(40, 70);
        Tensor other = rand(40, 70);
        try (Parallel two = new Parallel(2)) {
            ExecContext ctx = new ExecContext(two);
            // Runs 2 and 3 see the same weight array (packed, then served from the cache); run 4 a different one;
            // runs 5 and 6 the first array again, with new contents and not flagged as a weight (a recycled
            // activation array), which must never be served from the cache.
            for (int run = 0; run < 6; run++) {
                Tensor a = rand(3, 9, 40);
                Tensor b = run < 3 || run >= 4 ? w : other;
                if (run >= 4) {
                    System.arraycopy(rand(40, 70).floats(), 0, w.floats(), 0, 40 * 70);
                }
                ctx.weightInputs(run < 4 ? 0b10 : 0);
                float[] y = kernel.run(new Tensor[] {a, b}, ctx)[0].floats();
                for (int r = 0; r < 27; r++) {
                    for (int c = 0; c < 70; c++) {
                        double s = 0;
                        for (int k = 0; k < 40; k++) {
                            s += a.floats()[r * 40 + k] * b.floats()[k * 70 + c];
                        }
                        assertThat(y[r * 70 + c]).as("run %d (%d, %d)", run, r, c).isCloseTo((float) s, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void matMulOneDimensionalOperandsDropTheirAxis() {
        Tensor v = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor m = iota(3, 2);
        assertThat(run("MatMul", List.of(), 1, v, m)[0].shape()).containsExactly(2);
        assertThat(run("MatMul", List.of(), 1, v, m)[0].floats()).containsExactly(22, 28);
        Tensor batch = iota(2, 2, 3);
        Tensor y = run("MatMul", List.of(), 1, batch, v)[0];
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.floats()).containsExactly(14, 32, 50, 68);
        Tensor dot = run("MatMul", List.of(), 1, v, v)[0];
        assertThat(dot.shape()).isEmpty();
        assertThat(dot.floats()).containsExactly(14);
    }

    @Test
    void integerMatMulWrapsToTheDeclaredWidth() {
        Tensor a = Tensor.wrap(DType.INT32, new int[] {1, 2}, new long[] {1L << 30, 3});
        Tensor b = Tensor.wrap(DType.INT32, new int[] {2, 1}, new long[] {4, 5});
        Tensor y = run("MatMul", List.of(), 1, a, b)[0];
        assertThat(y.dtype()).isEqualTo(DType.INT32);
        assertThat(y.longs()).containsExactly((long) (int) ((1L << 32) + 15));
        Tensor d = run("MatMul", List.of(), 1, Tensor.of(new double[] {0.1, 0.2}, 1, 2),
                Tensor.of(new double[] {3, 4}, 2, 1))[0];
        assertThat(d.doubles()[0]).isEqualTo(0.1 * 3 + 0.2 * 4);
    }

    @Test
    void matMulRejectsMismatchedInnerDimensions() {
        assertThatThrownBy(() -> run("MatMul", List.of(), 1, rand(2, 3), rand(4, 5)))
                .hasMessageContaining("inner dimensions differ").hasMessageContaining("K = 3");
    }

    @Test
    void fusedMatMulAddsARowBiasThenTheActivation() {
        Tensor a = rand(3, 7, 5);
        Tensor b = rand(5, 9);
        Tensor bias = rand(9);
        Tensor plain = run("MatMul", List.of(), 1, a, b)[0];
        Tensor fused = run(ActivationAttributes.DOMAIN, "FusedMatMul", List.of(str("activation", "Relu")), 1, a, b,
                bias)[0];
        for (int i = 0; i < plain.size(); i++) {
            float want = Math.max(0, plain.floats()[i] + bias.floats()[i % 9]);
            assertThat(fused.floats()[i]).isCloseTo(want, within(1e-5f));
        }
    }

    // ---- Gemm ------------------------------------------------------------------------------------------------------

    @Test
    void gemmBroadcastsAColumnOfC() {
        Tensor a = iota(2, 3);
        Tensor b = iota(3, 2);
        Tensor c = Tensor.of(new float[] {10, 20}, 2, 1);
        Tensor y = run("Gemm", List.of(real("beta", 2f)), 1, a, b, c)[0];
        assertThat(y.floats()).containsExactly(22 + 20, 28 + 20, 49 + 40, 64 + 40);
    }

    @Test
    void gemmWithBetaZeroNeverReadsC() {
        Tensor c = Tensor.of(new float[] {Float.NaN}, 1);
        Tensor y = run("Gemm", List.of(real("beta", 0f)), 1, iota(2, 2), iota(2, 2), c)[0];
        assertThat(y.floats()).containsExactly(7, 10, 15, 22);
    }

    @Test
    void integerGemmIsExact() {
        Tensor a = Tensor.wrap(DType.INT64, new int[] {2, 2}, new long[] {1, 2, 3, 4});
        Tensor c = Tensor.wrap(DType.INT64, new int[] {}, new long[] {100});
        Tensor y = run("Gemm", List.of(num("transA", 1), real("alpha", 2f)), 1, a, a, c)[0];
        // Aᵀ·A = [[10, 14], [14, 20]]
        assertThat(y.longs()).containsExactly(120, 128, 128, 140);
    }

    @Test
    void gemmWithAConstantWeightGivesTheSameBitsOnEveryRunAndThreadCount() {
        // Run 1 sees the weight for the first time (multiplied from B as it is, or packed just for that call), later
        // runs find the packed copy: the sums must be the same in every case, as must a 1- and a 2-thread session,
        // or an eager model and one that decodes its weights per run would disagree in the last bits.
        for (boolean transB : new boolean[] {false, true}) {
            Node node = new Node("n", "Gemm", "", List.of("a", "w", "c"), List.of("y"),
                    new Attributes(List.of(num("transB", transB ? 1 : 0), real("alpha", 0.5f))));
            Tensor w = transB ? rand(70, 300) : rand(300, 70);
            Tensor c = rand(70);
            for (int m : new int[] {1, 5, 32, 61}) {
                Tensor a = rand(m, 300);
                float[] expected = null;
                for (int threads = 1; threads <= 2; threads++) {
                    OpKernel kernel = REGISTRY.create(node, 17);
                    try (Parallel par = new Parallel(threads)) {
                        for (int run = 0; run < 3; run++) {
                            float[] y = kernel.run(new Tensor[] {a, w, c}, new ExecContext(par))[0].floats();
                            if (expected == null) {
                                expected = y;
                                assertCloseToReference(a, w, c, transB, m, y);
                            }
                            assertThat(y).as("transB=%s m=%d threads=%d run %d", transB, m, threads, run)
                                    .containsExactly(expected);
                        }
                    }
                }
            }
        }
    }

    private static void assertCloseToReference(Tensor a, Tensor w, Tensor c, boolean transB, int m, float[] y) {
        int k = 300;
        int n = 70;
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += (double) a.floats()[r * k + kk] * w.floats()[transB ? j * k + kk : kk * n + j];
                }
                assertThat(y[r * n + j]).isCloseTo((float) (0.5 * s + c.floats()[j]), within(1e-4f));
            }
        }
    }

    @Test
    void gemmRejectsNonMatrices() {
        assertThatThrownBy(() -> run("Gemm", List.of(), 1, rand(2, 3, 4), rand(4, 2)))
                .hasMessageContaining("'A' must have rank 2");
    }

    // ---- Conv ------------------------------------------------------------------------------------------------------

    @Test
    void autoPadPutsTheOddPaddingAtTheEndForUpperAndTheStartForLower() {
        Tensor x = iota(1, 1, 6);
        Tensor w = Tensor.of(new float[] {1, 0}, 1, 1, 2); // picks the first tap of each window
        Tensor upper = run("Conv", List.of(str("auto_pad", "SAME_UPPER")), 1, x, w)[0];
        Tensor lower = run("Conv", List.of(str("auto_pad", "SAME_LOWER")), 1, x, w)[0];
        assertThat(upper.floats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(lower.floats()).containsExactly(0, 1, 2, 3, 4, 5);
        Tensor valid = run("Conv", List.of(str("auto_pad", "VALID"), ints("strides", 2)), 1, x, w)[0];
        assertThat(valid.floats()).containsExactly(1, 3, 5);
    }

    @Test
    void depthwiseConvWithChannelMultiplierAndBias() {
        Tensor x = iota(1, 2, 1, 4);
        Tensor w = Tensor.of(new float[] {1, 1, 0, 1, 2, 0, 0, -1}, 4, 1, 1, 2); // 2 filters per input channel
        Tensor b = Tensor.of(new float[] {0, 100, 0, 0}, 4);
        Tensor y = run("Conv", List.of(num("group", 2)), 1, x, w, b)[0];
        assertThat(y.shape()).containsExactly(1, 4, 1, 3);
        assertThat(y.floats()).containsExactly(3, 5, 7, 102, 103, 104, 10, 12, 14, -6, -7, -8);
    }

    @Test
    void convRejectsWeightsThatDoNotMatchTheChannels() {
        assertThatThrownBy(() -> run("Conv", List.of(num("group", 2)), 1, rand(1, 3, 5, 5), rand(4, 2, 3, 3)))
                .hasMessageContaining("needs X to have 4 channels");
        assertThatThrownBy(() -> run("Conv", List.of(ints("kernel_shape", 2, 2)), 1, rand(1, 1, 5, 5),
                rand(1, 1, 3, 3))).hasMessageContaining("kernel_shape [2, 2] does not match W");
    }

    @Test
    void badAttributesFailWhenTheNodeIsCompiled() {
        Node node = new Node("bad", "Conv", "", List.of("x", "w"), List.of("y"),
                new Attributes(List.of(str("auto_pad", "SAME_MIDDLE"))));
        assertThatThrownBy(() -> REGISTRY.create(node, 17)).isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageContaining("SAME_MIDDLE").hasMessageContaining("SAME_UPPER");
    }

    @Test
    void fusedConvAppliesItsActivation() {
        Tensor x = rand(1, 3, 6, 6);
        Tensor w = rand(4, 3, 3, 3);
        Tensor plain = run("Conv", List.of(ints("pads", 1, 1, 1, 1)), 1, x, w)[0];
        Tensor fused = run(ActivationAttributes.DOMAIN, "FusedConv", List.of(ints("pads", 1, 1, 1, 1),
                str("activation", "Clip"), new Attribute("activation_params", Attribute.Type.FLOATS,
                        new float[] {-0.5f, 0.25f})), 1, x, w)[0];
        for (int i = 0; i < plain.size(); i++) {
            assertThat(fused.floats()[i]).isEqualTo(Math.min(Math.max(plain.floats()[i], -0.5f), 0.25f));
        }
    }

    // ---- ConvTranspose ---------------------------------------------------------------------------------------------

    @Test
    void convTransposeHonoursOutputShapeWithGroups() {
        Tensor x = rand(1, 4, 3, 3);
        Tensor w = rand(4, 3, 3, 3); // 2 groups of 2 input channels; M = 3 · 2 = 6
        Tensor y = run("ConvTranspose", List.of(num("group", 2), ints("strides", 2, 2), ints("output_shape", 8, 7)),
                1, x, w)[0];
        assertThat(y.shape()).containsExactly(1, 6, 8, 7);
        Tensor same = run("ConvTranspose", List.of(ints("strides", 2, 2), str("auto_pad", "SAME_UPPER")), 1,
                rand(1, 1, 3, 4), rand(1, 2, 3, 3))[0];
        assertThat(same.shape()).containsExactly(1, 2, 6, 8);
    }

    // ---- pools -----------------------------------------------------------------------------------------------------

    @Test
    void maxPoolKeepsUint8AndReturnsIndicesOnlyWhenAsked() {
        Tensor x = Tensor.wrap(DType.UINT8, new int[] {1, 1, 2, 2}, new long[] {3, 250, 7, 1});
        Tensor[] one = run("MaxPool", List.of(ints("kernel_shape", 2, 2)), 1, x);
        assertThat(one[0].dtype()).isEqualTo(DType.UINT8);
        assertThat(one[0].longs()).containsExactly(250);
        assertThat(one[1]).isNull();
        Tensor[] two = run("MaxPool", List.of(ints("kernel_shape", 2, 2)), 2, x);
        assertThat(two[1].longs()).containsExactly(1);
    }

    @Test
    void ceilModeAveragePoolDropsAWindowThatStartsInThePadding() {
        Tensor x = iota(1, 1, 5);
        // k 2, s 2, pads 1/1: room = 5 + 2 - 2 = 5, ceil(5/2) + 1 = 4 windows, but the 4th would start at 6 - 1 = 5,
        // past the input: 3 windows remain.
        Tensor y = run("AveragePool", List.of(ints("kernel_shape", 2), ints("strides", 2), ints("pads", 1, 1),
                num("ceil_mode", 1), num("count_include_pad", 1)), 1, x)[0];
        assertThat(y.floats()).containsExactly(0.5f, 2.5f, 4.5f);
    }

    @Test
    void lpPoolAndGlobalLpPool() {
        Tensor x = Tensor.of(new float[] {3, -4, 0, 12}, 1, 1, 4);
        assertThat(run("LpPool", List.of(ints("kernel_shape", 2), ints("strides", 2)), 1, x)[0].floats())
                .containsExactly(5, 12);
        assertThat(run("LpPool", List.of(ints("kernel_shape", 2), num("p", 1)), 1, x)[0].floats())
                .containsExactly(7, 4, 12);
        assertThat(run("GlobalLpPool", List.of(), 1, x)[0].floats()[0]).isCloseTo(13f, within(1e-5f));
    }

    @Test
    void globalPoolsKeepTheRank() {
        Tensor x = rand(2, 3, 4, 5, 6);
        Tensor avg = run("GlobalAveragePool", List.of(), 1, x)[0];
        Tensor max = run("GlobalMaxPool", List.of(), 1, x)[0];
        assertThat(avg.shape()).containsExactly(2, 3, 1, 1, 1);
        double s = 0;
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < 120; i++) {
            s += x.floats()[i];
            m = Math.max(m, x.floats()[i]);
        }
        assertThat(avg.floats()[0]).isCloseTo((float) (s / 120), within(1e-6f));
        assertThat(max.floats()[0]).isEqualTo(m);
    }
}
