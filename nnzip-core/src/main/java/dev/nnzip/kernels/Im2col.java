package dev.nnzip.kernels;

/**
 * Lowers a convolution to a matrix product (Chellapilla, Puri and Simard, "High Performance Convolutional Neural
 * Networks for Document Processing", 2006): the column matrix has one row per (input channel, kernel offset) and one
 * column per output pixel, so {@code Y[M, pixels] = W[M, C·k] · col[C·k, pixels]}.
 *
 * <p>The columns are written straight into {@link PackedB}'s panel layout, for a chunk of output pixels at a time: the
 * SGEMM then streams them without a second copy, and a chunk's columns stay in cache between being written and read.
 */
final class Im2col {
    private Im2col() {
    }

    /**
     * Writes the columns of output pixels {@code [p0, p0 + np)} for the input channels of one group into {@code dst}
     * (PackedB layout with panel width {@code nr}, {@code columnRows()} rows). {@code xOff} is the index of the group's
     * first input channel of the batch item in {@code x}. Columns past np in the last panel are left as they are: the
     * SGEMM computes them into its edge tile and discards them.
     */
    static void pack(ConvGeometry g, float[] x, int xOff, int p0, int np, float[] dst, int nr) {
        int[] in = g.in();
        int[] k = g.kernel();
        int[] s = g.stride();
        int[] d = g.dilation();
        int[] pb = g.padBegin();
        int[] out = g.out();
        int rows = g.columnRows();
        int ohw = out[1] * out[2];
        int panelStride = nr * rows;
        int kidx = 0;
        for (int c = 0; c < g.inPerGroup(); c++) {
            int xc = xOff + c * g.inPlane();
            for (int kd = 0; kd < k[0]; kd++) {
                for (int kh = 0; kh < k[1]; kh++) {
                    for (int kw = 0; kw < k[2]; kw++, kidx++) {
                        int dstRow = kidx * nr;
                        int od = p0 / ohw;
                        int oh = (p0 / out[2]) % out[1];
                        int ow = p0 % out[2];
                        int t = 0; // pixel index within the chunk
                        while (t < np) {
                            int seg = Math.min(np - t, out[2] - ow); // pixels left in this output row
                            int id = od * s[0] - pb[0] + kd * d[0];
                            int ih = oh * s[1] - pb[1] + kh * d[1];
                            if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1]) {
                                fill(dst, dstRow, panelStride, nr, t, seg, 0f);
                            } else {
                                int src = xc + (id * in[1] + ih) * in[2];
                                rowSegment(x, src, in[2], ow, seg, s[2], kw * d[2] - pb[2], dst, dstRow, panelStride,
                                        nr, t);
                            }
                            t += seg;
                            ow = 0;
                            if (++oh == out[1]) {
                                oh = 0;
                                od++;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One output row segment: pixels ow0 .. ow0+seg of the row read input {@code src[ow·stride + shift]} (zero outside
     * [0, width)).
     */
    private static void rowSegment(float[] x, int src, int width, int ow0, int seg, int stride, int shift,
                                   float[] dst, int dstRow, int panelStride, int nr, int t0) {
        // Valid ow: 0 <= ow·stride + shift < width.
        int lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int hi = width - shift <= 0 ? 0 : (width - shift - 1) / stride + 1; // exclusive
        int a = Math.clamp(lo - ow0, 0, seg);
        int b = Math.clamp(hi - ow0, a, seg);
        fill(dst, dstRow, panelStride, nr, t0, a, 0f);
        if (stride == 1) {
            int t = t0 + a;
            int from = src + ow0 + a + shift;
            int left = b - a;
            while (left > 0) { // contiguous runs up to the next panel boundary
                int r = t % nr;
                int run = Math.min(left, nr - r);
                System.arraycopy(x, from, dst, (t / nr) * panelStride + dstRow + r, run);
                t += run;
                from += run;
                left -= run;
            }
        } else {
            int t = t0 + a;
            int r = t % nr;
            int di = (t / nr) * panelStride + dstRow + r;
            int from = src + (ow0 + a) * stride + shift;
            for (int i = a; i < b; i++, from += stride) {
                dst[di] = x[from];
                if (++r == nr) {
                    r = 0;
                    di += panelStride - nr + 1;
                } else {
                    di++;
                }
            }
        }
        fill(dst, dstRow, panelStride, nr, t0 + b, seg - b, 0f);
    }

    private static void fill(float[] dst, int dstRow, int panelStride, int nr, int t, int count, float v) {
        while (count > 0) {
            int r = t % nr;
            int run = Math.min(count, nr - r);
            int at = (t / nr) * panelStride + dstRow + r;
            java.util.Arrays.fill(dst, at, at + run, v);
            t += run;
            count -= run;
        }
    }
}
