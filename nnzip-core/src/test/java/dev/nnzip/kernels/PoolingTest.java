package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pooling against a tap-by-tap reference over random 1-D/2-D/3-D windows with strides, dilations and asymmetric pads,
 * plus hand-computed cases for the index layout (storage_order) and count_include_pad.
 */
class PoolingTest {
    @Test
    void randomWindowsMatchTheTapByTapDefinition() {
        Random r = new Random(3);
        for (int iter = 0; iter < 200; iter++) {
            int rank = 1 + r.nextInt(3);
            int[] in = new int[rank];
            int[] k = new int[rank];
            int[] s = new int[rank];
            int[] d = new int[rank];
            int[] pb = new int[rank];
            int[] pe = new int[rank];
            int[] out = new int[rank];
            for (int a = 0; a < rank; a++) {
                k[a] = 1 + r.nextInt(3);
                s[a] = 1 + r.nextInt(3);
                d[a] = 1 + r.nextInt(2);
                pb[a] = r.nextInt(k[a]); // pads smaller than the window, as ONNX requires
                pe[a] = r.nextInt(k[a]);
                in[a] = (k[a] - 1) * d[a] + 1 + r.nextInt(rank == 3 ? 4 : 9);
                out[a] = ConvGeometry.convOutput(in[a], k[a], s[a], d[a], pb[a], pe[a]);
            }
            int c = 1 + r.nextInt(3);
            ConvGeometry g = ConvGeometry.of(1 + r.nextInt(2), c, c, 1, in, k, s, d, pb, pe, out);
            float[] x = Matrices.random(r, g.batch() * c * g.inPlane());
            int ny = g.batch() * c * g.outPlane();
            float[] max = new float[ny];
            float[] maxNoIndices = new float[ny]; // the 1-D/2-D fast path
            long[] idx = new long[ny];
            float[] avg = new float[ny];
            float[] avgPad = new float[ny];
            float[] lp = new float[ny];
            Pooling.max(g, x, max, idx, false, Parallel.sequential());
            Pooling.max(g, x, maxNoIndices, null, false, Parallel.sequential());
            Pooling.average(g, x, avg, false, Parallel.sequential());
            Pooling.average(g, x, avgPad, true, Parallel.sequential());
            Pooling.lp(g, x, lp, 3f, Parallel.sequential());
            Reference ref = new Reference(g, x);
            for (int i = 0; i < ny; i++) {
                assertThat(max[i]).as("max %s at %d", g, i).isEqualTo(ref.max[i]);
                assertThat(maxNoIndices[i]).as("max without indices %s at %d", g, i).isEqualTo(ref.max[i]);
                assertThat(idx[i]).as("argmax %s at %d", g, i).isEqualTo(ref.argmax[i]);
                assertThat(avg[i]).as("avg %s at %d", g, i).isCloseTo(ref.avg[i], within(1e-5f));
                assertThat(avgPad[i]).as("avg+pad %s", g).isCloseTo(ref.avgPad[i], within(1e-5f));
                assertThat(lp[i]).as("lp3 %s", g).isCloseTo(ref.lp3[i], within(1e-4f));
            }
        }
    }

    /** Enumerates every tap of every window. */
    private static final class Reference {
        final float[] max;
        final long[] argmax;
        final float[] avg;
        final float[] avgPad;
        final float[] lp3;

        Reference(ConvGeometry g, float[] x) {
            int ny = g.batch() * g.inChannels() * g.outPlane();
            max = new float[ny];
            argmax = new long[ny];
            avg = new float[ny];
            avgPad = new float[ny];
            lp3 = new float[ny];
            int[] in = g.in();
            int[] out = g.out();
            int yi = 0;
            for (int plane = 0; plane < g.batch() * g.inChannels(); plane++) {
                for (int o0 = 0; o0 < out[0]; o0++) {
                    for (int o1 = 0; o1 < out[1]; o1++) {
                        for (int o2 = 0; o2 < out[2]; o2++, yi++) {
                            int[] o = {o0, o1, o2};
                            float best = 0;
                            long bestAt = -1;
                            double sum = 0;
                            double cube = 0;
                            int count = 0;
                            int padded = 0;
                            for (int t0 = 0; t0 < g.kernel()[0]; t0++) {
                                for (int t1 = 0; t1 < g.kernel()[1]; t1++) {
                                    for (int t2 = 0; t2 < g.kernel()[2]; t2++) {
                                        int[] t = {t0, t1, t2};
                                        int[] p = new int[3];
                                        boolean inside = true;
                                        boolean inPad = true;
                                        for (int a = 0; a < 3; a++) {
                                            p[a] = o[a] * g.stride()[a] - g.padBegin()[a] + t[a] * g.dilation()[a];
                                            inside &= p[a] >= 0 && p[a] < in[a];
                                            inPad &= p[a] >= -g.padBegin()[a] && p[a] < in[a] + g.padEnd()[a];
                                        }
                                        if (inPad) {
                                            padded++;
                                        }
                                        if (!inside) {
                                            continue;
                                        }
                                        long at = (long) plane * g.inPlane() + (p[0] * in[1] + p[1]) * in[2] + p[2];
                                        float v = x[(int) at];
                                        if (bestAt < 0 || v > best) {
                                            best = v;
                                            bestAt = at;
                                        }
                                        sum += v;
                                        cube += Math.pow(Math.abs(v), 3);
                                        count++;
                                    }
                                }
                            }
                            max[yi] = best;
                            argmax[yi] = bestAt;
                            avg[yi] = (float) (sum / count);
                            avgPad[yi] = (float) (sum / padded);
                            lp3[yi] = (float) Math.cbrt(cube);
                        }
                    }
                }
            }
        }
    }

    @Test
    void columnMajorIndicesCountTheFirstSpatialAxisFastest() {
        // 1 image, 1 channel, 2x3 input; one 2x3 window; the max is at (h=1, w=2).
        ConvGeometry g = ConvGeometry.of(1, 1, 1, 1, new int[] {2, 3}, new int[] {2, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {1, 1});
        float[] x = {0, 1, 2, 3, 4, 9};
        long[] rowMajor = new long[1];
        long[] colMajor = new long[1];
        Pooling.max(g, x, new float[1], rowMajor, false, Parallel.sequential());
        Pooling.max(g, x, new float[1], colMajor, true, Parallel.sequential());
        assertThat(rowMajor[0]).isEqualTo(1 * 3 + 2);
        assertThat(colMajor[0]).isEqualTo(1 + 2 * 2);
    }

    @Test
    void countIncludePadDividesByTheWindowInsideThePaddedInput() {
        // 1-D input [1, 2, 3], kernel 3, pads 1/1, stride 1: the first window is (pad, 1, 2).
        ConvGeometry g = ConvGeometry.of(1, 1, 1, 1, new int[] {3}, new int[] {3}, new int[] {1}, new int[] {1},
                new int[] {1}, new int[] {1}, new int[] {3});
        float[] with = new float[3];
        float[] without = new float[3];
        Pooling.average(g, new float[] {1, 2, 3}, with, true, Parallel.sequential());
        Pooling.average(g, new float[] {1, 2, 3}, without, false, Parallel.sequential());
        assertThat(with).containsExactly(1f, 2f, 5f / 3);
        assertThat(without).containsExactly(1.5f, 2f, 2.5f);
    }
}
