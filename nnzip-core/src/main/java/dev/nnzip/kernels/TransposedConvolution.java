package dev.nnzip.kernels;

import java.util.Arrays;
import java.util.Objects;

/**
 * Transposed convolution (the ONNX ConvTranspose operator), the gradient of a convolution with respect to its input:
 * every input pixel scatters {@code x[n, c, i] · w[c, m, k]} to output pixel {@code i·stride − padBegin + k·dilation}.
 *
 * <p>Computed as "GEMM + col2im": per image and group, {@code col[(M/g)·k, pixels] = W_gᵀ · X_g} with
 * {@code W_g = w[c in group, (M/g)·k]}, then each column entry is added to the output pixel it lands on (entries that
 * land outside the output, in the padding, are dropped). Bias and activation are applied last.
 *
 * <p>The geometry's {@code in} is the input's spatial extent, {@code out} the output's; weights are
 * {@code [C, M/groups, kernel...]}.
 */
public final class TransposedConvolution {
    private TransposedConvolution() {
    }

    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y,
                               Parallel parallel) {
        forward(g, x, w, bias, act, y, parallel, KernelSupport.vectorEnabled());
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act, float[] y,
                        Parallel parallel, boolean vector) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(y, "y");
        Activation a = act == null ? Activation.none() : act;
        Parallel par = parallel == null ? Parallel.sequential() : parallel;
        int cg = g.inPerGroup();
        int mg = g.outPerGroup();
        int ks = g.kernelSize();
        int inPlane = g.inPlane();
        int outPlane = g.outPlane();
        long xs = (long) g.batch() * g.inChannels() * inPlane;
        long ws = (long) g.inChannels() * mg * ks;
        long ys = (long) g.batch() * g.outChannels() * outPlane;
        if (x.length < xs || w.length < ws || y.length < ys || (bias != null && bias.length < g.outChannels())) {
            throw new IllegalArgumentException(g + " (transposed) needs x >= " + xs + ", w >= " + ws + ", y >= " + ys
                    + " floats; got x=" + x.length + ", w=" + w.length + ", y=" + y.length);
        }
        Arrays.fill(y, 0, (int) ys, 0f);
        int colRows = mg * ks;
        float[] col = new float[Math.multiplyExact(colRows, Math.max(inPlane, 1))];
        for (int n = 0; n < g.batch(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                if (cg > 0 && inPlane > 0) {
                    // col = W_gᵀ · X_g: W_g is [cg, colRows] row-major, X_g is [cg, inPlane].
                    GemmProblem p = new GemmProblem(true, false, colRows, inPlane, cg, 1f,
                            w, grp * cg * colRows, colRows,
                            x, (n * g.inChannels() + grp * cg) * inPlane, inPlane, null,
                            0f, col, 0, inPlane, Epilogue.none());
                    Sgemm.run(p, par, vector);
                } else {
                    Arrays.fill(col, 0f);
                }
                int yBase = (n * g.outChannels() + grp * mg) * outPlane;
                par.forRange(mg, 1, (from, to) -> {
                    for (int mm = from; mm < to; mm++) {
                        col2im(g, col, mm * ks * inPlane, y, yBase + mm * outPlane);
                    }
                });
            }
        }
        par.forRange(g.batch() * g.outChannels(), 1, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                float b = bias == null ? 0f : bias[pl % g.outChannels()];
                int o = pl * outPlane;
                if (b != 0f) {
                    for (int i = 0; i < outPlane; i++) {
                        y[o + i] += b;
                    }
                }
                if (vector) {
                    a.applyInPlace(y, o, outPlane);
                } else {
                    a.applyScalar(y, o, outPlane);
                }
            }
        });
    }

    /** Adds one output channel's column rows (one per kernel offset) into its output plane. */
    private static void col2im(ConvGeometry g, float[] col, int colOff, float[] y, int yOff) {
        int[] in = g.in();
        int[] out = g.out();
        int[] k = g.kernel();
        int[] s = g.stride();
        int[] d = g.dilation();
        int[] pb = g.padBegin();
        int inPlane = g.inPlane();
        int r = colOff;
        for (int kd = 0; kd < k[0]; kd++) {
            for (int kh = 0; kh < k[1]; kh++) {
                for (int kw = 0; kw < k[2]; kw++, r += inPlane) {
                    int src = r;
                    for (int id = 0; id < in[0]; id++) {
                        int od = id * s[0] - pb[0] + kd * d[0];
                        for (int ih = 0; ih < in[1]; ih++, src += in[2]) {
                            int oh = ih * s[1] - pb[1] + kh * d[1];
                            if (od < 0 || od >= out[0] || oh < 0 || oh >= out[1]) {
                                continue;
                            }
                            int dst = yOff + (od * out[1] + oh) * out[2];
                            int shift = kw * d[2] - pb[2];
                            for (int iw = 0; iw < in[2]; iw++) {
                                int ow = iw * s[2] + shift;
                                if (ow >= 0 && ow < out[2]) {
                                    y[dst + ow] += col[src + iw];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
