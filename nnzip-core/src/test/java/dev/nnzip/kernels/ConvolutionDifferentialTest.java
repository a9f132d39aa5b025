package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
 * The convolution kernels (im2col + SGEMM, pointwise, depthwise; vector and scalar) and the transposed convolution
 * against the definitions in {@link ConvReference}, over random 1-D/2-D/3-D geometries with odd sizes, strides,
 * asymmetric pads, dilations, groups (including depthwise with a channel multiplier), batches and fused activations.
 */
class ConvolutionDifferentialTest {
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

    /** SHIFTED: stride 1, 1-D/2-D, which the vector path runs as an implicit GEMM on the padded input. */
    enum Flavour { GENERAL, DEPTHWISE, POINTWISE, SHIFTED }

    static Stream<Arguments> geometries() {
        List<Arguments> out = new ArrayList<>();
        Random r = new Random(2024);
        for (int i = 0; i < 60; i++) {
            for (Flavour f : Flavour.values()) {
                int rank = f == Flavour.DEPTHWISE || f == Flavour.SHIFTED ? 1 + r.nextInt(2) : 1 + r.nextInt(3);
                out.add(Arguments.of(f, randomGeometry(r, rank, f), r.nextLong()));
            }
        }
        // Shapes big enough to cross the SGEMM's blocks and the im2col chunking, and stride-1 depthwise wide enough for
        // the vector loop.
        out.add(Arguments.of(Flavour.GENERAL, ConvGeometry.of(1, 16, 70, 1, new int[] {37, 41}, new int[] {3, 3},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {37, 41}), 1L));
        out.add(Arguments.of(Flavour.DEPTHWISE, ConvGeometry.of(2, 24, 48, 24, new int[] {19, 67}, new int[] {3, 5},
                new int[] {1, 1}, new int[] {1, 2}, new int[] {2, 3}, new int[] {1, 4},
                new int[] {out1(19, 3, 1, 1, 2, 1), out1(67, 5, 1, 2, 3, 4)}), 2L));
        // Stride 1 with K = 300 > KC (two depth blocks), M not a multiple of MR, a dilation, asymmetric pads, batch 3.
        out.add(Arguments.of(Flavour.SHIFTED, ConvGeometry.of(3, 2 * 50, 2 * 13, 2, new int[] {9, 12},
                new int[] {2, 3}, new int[] {1, 1}, new int[] {2, 1}, new int[] {0, 2}, new int[] {3, 1},
                new int[] {out1(9, 2, 1, 2, 0, 3), out1(12, 3, 1, 1, 2, 1)}), 4L));
        // The 3x3 stride-1 fast path of the vector depthwise kernel, dilated, with asymmetric pads.
        out.add(Arguments.of(Flavour.DEPTHWISE, ConvGeometry.of(1, 5, 5, 5, new int[] {13, 21}, new int[] {3, 3},
                new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 1}, new int[] {1, 2},
                new int[] {out1(13, 3, 1, 2, 2, 1), out1(21, 3, 1, 2, 1, 2)}), 3L));
        out.addAll(smallMapGeometries().map(g -> Arguments.of(g.isDepthwise() ? Flavour.DEPTHWISE
                : g.isPointwise() ? Flavour.POINTWISE : Flavour.SHIFTED, g, 6L)).toList());
        return out.stream();
    }

    /**
     * MobileNetV2 on 28 × 28 inputs: 1×1 convolutions on maps of a few pixels, whose images the implicit GEMM puts
     * side by side (one unit of all 32 images, big enough to split its tiles over threads; units of 6 with a short last one; a padded 3×3 of 2 images per unit), and
     * stride-2 depthwise planes narrower than a vector, computed flat through a gather table.
     */
    static Stream<ConvGeometry> smallMapGeometries() {
        int[] one = {1, 1};
        int[] zero = {0, 0};
        return Stream.of(
                ConvGeometry.of(32, 96, 160, 1, new int[] {2, 2}, one, one, one, zero, zero, new int[] {2, 2}),
                ConvGeometry.of(8, 24, 20, 1, new int[] {7, 7}, one, one, one, zero, zero, new int[] {7, 7}),
                // Batch 1 on 3 × 3 and 4 × 4 maps: the pixels become the GEMM rows (PointwiseByPixels), with two
                // depth blocks (C = 300 > KC) and, for the second, enough work to split the channels over threads.
                ConvGeometry.of(1, 300, 130, 1, new int[] {3, 3}, one, one, one, zero, zero, new int[] {3, 3}),
                ConvGeometry.of(1, 256, 512, 1, new int[] {4, 4}, one, one, one, zero, zero, new int[] {4, 4}),
                ConvGeometry.of(3, 12, 13, 1, new int[] {9, 9}, new int[] {3, 3}, one, one, one, one,
                        new int[] {9, 9}),
                ConvGeometry.of(3, 16, 16, 16, new int[] {14, 14}, new int[] {3, 3}, new int[] {2, 2}, one, one, one,
                        new int[] {7, 7}),
                ConvGeometry.of(2, 8, 8, 8, new int[] {7, 7}, new int[] {3, 3}, new int[] {2, 2}, one, one, one,
                        new int[] {4, 4}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallMapGeometries")
    void vectorResultsAreTheSameBitsOnOneAndTwoThreads(ConvGeometry g) {
        Random r = new Random(11);
        float[] x = Matrices.random(r, g.batch() * g.inChannels() * g.inPlane());
        float[] w = Matrices.random(r, g.outChannels() * g.columnRows());
        float[] bias = Matrices.random(r, g.outChannels());
        float[] one = new float[g.batch() * g.outChannels() * g.outPlane()];
        float[] two = new float[one.length];
        Convolution.forward(g, x, w, bias, Activation.clip(0f, 6f), one, Parallel.sequential(), true);
        Convolution.forward(g, x, w, bias, Activation.clip(0f, 6f), two, ConvolutionDifferentialTest.two, true);
        assertThat(two).containsExactly(one);
    }

    @Test
    void pixelRowsGiveTheSameBitsAsChannelRows() {
        // Two images of 2 × 2 pixels, two depth blocks (C = 300 > KC), M not a multiple of NR.
        ConvGeometry g = ConvGeometry.of(2, 300, 130, 1, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {2, 2});
        assertThat(PointwiseByPixels.preferred(g)).isTrue();
        Random r = new Random(12);
        float[] x = Matrices.random(r, g.batch() * g.inChannels() * g.inPlane());
        float[] w = Matrices.random(r, g.outChannels() * g.columnRows());
        float[] bias = Matrices.random(r, g.outChannels());
        float[] byPixels = new float[g.batch() * g.outChannels() * g.outPlane()];
        float[] byChannels = new float[byPixels.length];
        PointwiseByPixels.forward(g, x, PointwiseByPixels.pack(g, w), bias, Activation.clip(0f, 6f), byPixels, two);
        ShiftedConvolution.forward(g, x, ShiftedConvolution.packFilters(g, w), bias, Activation.clip(0f, 6f),
                byChannels, Parallel.sequential());
        assertThat(byPixels).containsExactly(byChannels);
    }

    private static int out1(int in, int k, int s, int d, int pb, int pe) {
        return ConvGeometry.convOutput(in, k, s, d, pb, pe);
    }

    static ConvGeometry randomGeometry(Random r, int rank, Flavour f) {
        int groups;
        int c;
        int m;
        switch (f) {
            case DEPTHWISE -> {
                c = 2 + r.nextInt(8); // one channel in one group is an ordinary convolution
                groups = c;
                m = c * (1 + r.nextInt(2));
            }
            case POINTWISE -> {
                groups = 1 + r.nextInt(3);
                c = groups * (1 + r.nextInt(7));
                m = groups * (1 + r.nextInt(17));
            }
            default -> {
                groups = r.nextInt(4) == 0 ? 2 : 1;
                c = groups * (1 + r.nextInt(5));
                m = groups * (1 + r.nextInt(9));
            }
        }
        int[] in = new int[rank];
        int[] k = new int[rank];
        int[] s = new int[rank];
        int[] d = new int[rank];
        int[] pb = new int[rank];
        int[] pe = new int[rank];
        int[] out = new int[rank];
        for (int a = 0; a < rank; a++) {
            int maxIn = rank == 3 ? 7 : rank == 2 ? 17 : 63;
            if (f == Flavour.POINTWISE) {
                k[a] = 1;
                s[a] = 1;
                d[a] = 1;
                in[a] = 1 + r.nextInt(maxIn);
            } else {
                k[a] = 1 + r.nextInt(3);
                s[a] = f == Flavour.SHIFTED ? 1 : 1 + r.nextInt(3);
                d[a] = 1 + r.nextInt(2);
                pb[a] = r.nextInt(3);
                pe[a] = r.nextInt(3);
                int span = (k[a] - 1) * d[a] + 1;
                in[a] = Math.max(1, span - pb[a] - pe[a]) + r.nextInt(maxIn);
            }
            out[a] = ConvGeometry.convOutput(in[a], k[a], s[a], d[a], pb[a], pe[a]);
        }
        return ConvGeometry.of(1 + r.nextInt(2), c, m, groups, in, k, s, d, pb, pe, out);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("geometries")
    void vectorAndScalarMatchTheDefinition(Flavour flavour, ConvGeometry g, long seed) {
        Random r = new Random(seed);
        float[] x = Matrices.random(r, g.batch() * g.inChannels() * g.inPlane());
        float[] w = Matrices.random(r, g.outChannels() * g.columnRows());
        float[] bias = r.nextBoolean() ? Matrices.random(r, g.outChannels()) : null;
        Activation act = r.nextBoolean() ? Activation.none() : Activation.leakyRelu(0.2f);
        float[][] ref = ConvReference.conv(g, x, w, bias, act);
        switch (flavour) {
            case DEPTHWISE -> assertThat(Depthwise.supports(g)).isTrue();
            case SHIFTED -> assertThat(ShiftedConvolution.supports(g)).isTrue();
            case POINTWISE -> assertThat(g.isPointwise()).isTrue();
            default -> { }
        }
        for (boolean vector : new boolean[] {true, false}) {
            for (Parallel par : new Parallel[] {Parallel.sequential(), two}) {
                float[] y = new float[ref[0].length];
                java.util.Arrays.fill(y, Float.NaN); // every output must be written
                Convolution.forward(g, x, w, bias, act, y, par, vector);
                Matrices.assertClose((vector ? "vector " : "scalar ") + g + " threads=" + par.threads(), ref[0], y,
                        ref[1], REL);
            }
        }
    }

    @Test
    void everyActivationFusesIntoTheConvolution() {
        Random r = new Random(5);
        ConvGeometry g = ConvGeometry.of(1, 6, 10, 1, new int[] {9, 11}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {9, 11});
        ConvGeometry dw = ConvGeometry.of(1, 6, 6, 6, new int[] {9, 40}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {9, 40});
        for (Activation act : new Activation[] {Activation.relu(), Activation.clip(-0.1f, 0.3f), Activation.sigmoid(),
                Activation.hardSwish(), Activation.leakyRelu(0.5f)}) {
            for (ConvGeometry geo : new ConvGeometry[] {g, dw}) {
                float[] x = Matrices.random(r, geo.inChannels() * geo.inPlane());
                float[] w = Matrices.random(r, geo.outChannels() * geo.columnRows());
                float[] bias = Matrices.random(r, geo.outChannels());
                float[][] ref = ConvReference.conv(geo, x, w, bias, act);
                for (boolean vector : new boolean[] {true, false}) {
                    float[] y = new float[ref[0].length];
                    Convolution.forward(geo, x, w, bias, act, y, Parallel.sequential(), vector);
                    Matrices.assertClose(act + " " + geo, ref[0], y, ref[1], REL);
                }
            }
        }
    }

    static Stream<Arguments> transposedGeometries() {
        List<Arguments> out = new ArrayList<>();
        Random r = new Random(77);
        for (int i = 0; i < 60; i++) {
            int rank = 1 + r.nextInt(3);
            int groups = r.nextInt(3) == 0 ? 2 : 1;
            int c = groups * (1 + r.nextInt(4));
            int m = groups * (1 + r.nextInt(4));
            int[] in = new int[rank];
            int[] k = new int[rank];
            int[] s = new int[rank];
            int[] d = new int[rank];
            int[] pb = new int[rank];
            int[] pe = new int[rank];
            int[] o = new int[rank];
            for (int a = 0; a < rank; a++) {
                in[a] = 1 + r.nextInt(rank == 3 ? 5 : 13);
                k[a] = 1 + r.nextInt(3);
                s[a] = 1 + r.nextInt(3);
                d[a] = 1 + r.nextInt(2);
                pb[a] = r.nextInt(2);
                pe[a] = r.nextInt(2);
                int outputPadding = r.nextInt(s[a]);
                o[a] = Math.max(1, s[a] * (in[a] - 1) + outputPadding + (k[a] - 1) * d[a] + 1 - pb[a] - pe[a]);
            }
            ConvGeometry g = ConvGeometry.of(1 + r.nextInt(2), c, m, groups, in, k, s, d, pb, pe, o);
            out.add(Arguments.of(g, r.nextLong()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposedGeometries")
    void transposedConvolutionMatchesTheDefinition(ConvGeometry g, long seed) {
        Random r = new Random(seed);
        float[] x = Matrices.random(r, g.batch() * g.inChannels() * g.inPlane());
        float[] w = Matrices.random(r, g.inChannels() * g.outPerGroup() * g.kernelSize());
        float[] bias = r.nextBoolean() ? Matrices.random(r, g.outChannels()) : null;
        float[][] ref = ConvReference.transposed(g, x, w, bias);
        for (boolean vector : new boolean[] {true, false}) {
            for (Parallel par : new Parallel[] {Parallel.sequential(), two}) {
                float[] y = new float[ref[0].length];
                java.util.Arrays.fill(y, Float.NaN);
                TransposedConvolution.forward(g, x, w, bias, Activation.none(), y, par, vector);
                Matrices.assertClose("transposed " + g, ref[0], y, ref[1], REL);
            }
        }
    }
}
