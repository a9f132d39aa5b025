package dev.nnzip.compress.bias;

import dev.nnzip.kernels.ConvGeometry;

/**
 * The mean input each weight of a layer is multiplied by, in the layout {@link BiasCorrector} contracts the weight error
 * with. For a dense layer that is {@code E[x_k]} per input feature k. For a convolution it is one mean per input channel
 * <em>and filter tap</em>: {@code T[c, t] = E over images and output positions p of x[c, p + t]}, where a tap that falls
 * into the zero padding reads 0. A per-channel {@code E[x_c]} (the paper's form) is the same for a 1×1 filter; for a
 * 3×3 filter on a 4×4 feature map, a quarter of the border taps read padding, and ignoring that would over-correct the
 * mean by as much. Layout: {@code c·K + t}, {@code K} the number of taps, {@code t} row-major over the
 * canonical (depth, height, width) kernel of {@link ConvGeometry}.
 */
final class TapMeans {
    private TapMeans() {
    }

    /**
     * Adds to {@code sum[c·K + t]} the input values tap t of channel c reads at every output position of every image of
     * {@code x} (layout {@code [N, C, D, H, W]} canonical); the matching count is {@code batch · outPlane} per tap.
     */
    static void addConv(ConvGeometry g, float[] x, double[] sum) {
        int taps = g.kernel()[0] * g.kernel()[1] * g.kernel()[2];
        int[][] lo = new int[3][];
        int[][] hi = new int[3][];
        for (int a = 0; a < 3; a++) {
            lo[a] = new int[g.kernel()[a]];
            hi[a] = new int[g.kernel()[a]];
            for (int k = 0; k < g.kernel()[a]; k++) {
                int[] r = validOutputs(g, a, k);
                lo[a][k] = r[0];
                hi[a][k] = r[1];
            }
        }
        int[] in = g.in();
        int[] s = g.stride();
        int[] dil = g.dilation();
        int[] pb = g.padBegin();
        int plane = g.inPlane();
        for (int n = 0; n < g.batch(); n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int base = (n * g.inChannels() + c) * plane;
                int t = 0;
                for (int i = 0; i < g.kernel()[0]; i++) {
                    for (int j = 0; j < g.kernel()[1]; j++) {
                        for (int l = 0; l < g.kernel()[2]; l++, t++) {
                            double acc = 0;
                            for (int od = lo[0][i]; od < hi[0][i]; od++) {
                                int zd = od * s[0] + i * dil[0] - pb[0];
                                for (int oh = lo[1][j]; oh < hi[1][j]; oh++) {
                                    int row = base + (zd * in[1] + oh * s[1] + j * dil[1] - pb[1]) * in[2];
                                    for (int ow = lo[2][l]; ow < hi[2][l]; ow++) {
                                        acc += x[row + ow * s[2] + l * dil[2] - pb[2]];
                                    }
                                }
                            }
                            sum[c * taps + t] += acc;
                        }
                    }
                }
            }
        }
    }

    /**
     * The fraction of output positions at which each tap reads inside the input, not padding: what a per-channel mean
     * that does not depend on the position becomes per tap. Index {@code t} as in {@link #addConv}.
     */
    static double[] insideFractions(ConvGeometry g) {
        int taps = g.kernel()[0] * g.kernel()[1] * g.kernel()[2];
        double[] f = new double[taps];
        int t = 0;
        for (int i = 0; i < g.kernel()[0]; i++) {
            for (int j = 0; j < g.kernel()[1]; j++) {
                for (int l = 0; l < g.kernel()[2]; l++, t++) {
                    double v = 1;
                    int[] k = {i, j, l};
                    for (int a = 0; a < 3; a++) {
                        int[] r = validOutputs(g, a, k[a]);
                        v *= (double) Math.max(0, r[1] - r[0]) / g.out()[a];
                    }
                    f[t] = v;
                }
            }
        }
        return f;
    }

    /** {@code [from, to)}: the outputs along axis {@code a} at which tap {@code k} reads inside the input. */
    private static int[] validOutputs(ConvGeometry g, int a, int k) {
        int offset = k * g.dilation()[a] - g.padBegin()[a];
        int s = g.stride()[a];
        // o·s + offset in [0, in): o >= ceil(-offset / s), o <= floor((in - 1 - offset) / s)
        int from = Math.max(0, Math.floorDiv(-offset + s - 1, s));
        int to = Math.min(g.out()[a], Math.floorDiv(g.in()[a] - 1 - offset, s) + 1);
        return new int[] {from, Math.max(from, to)};
    }

    /**
     * Adds each feature's values to {@code sum[k]}: {@code x} holds rows of {@code k = sum.length} features
     * ({@code [..., K]}), or with {@code transposed} a {@code [K, rows]} matrix (Gemm's {@code transA}). Returns the rows.
     */
    static long addDense(float[] x, boolean transposed, double[] sum) {
        int k = sum.length;
        if (x.length % k != 0) {
            throw new IllegalArgumentException("an input of " + x.length + " values is not rows of " + k + " features");
        }
        int rows = x.length / k;
        if (transposed) {
            for (int f = 0; f < k; f++) {
                double acc = 0;
                for (int r = 0; r < rows; r++) {
                    acc += x[f * rows + r];
                }
                sum[f] += acc;
            }
        } else {
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < k; f++) {
                    sum[f] += x[r * k + f];
                }
            }
        }
        return rows;
    }
}
