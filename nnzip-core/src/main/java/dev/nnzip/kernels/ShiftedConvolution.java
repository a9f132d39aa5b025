package dev.nnzip.kernels;

import java.util.Arrays;

/**
 * Stride-1 2-D (and 1-D) convolution as an implicit GEMM over a zero-padded copy of the input, with no im2col matrix.
 *
 * <p>Why: im2col copies every input value {@code kH·kW} times into a column matrix; on the small feature maps of
 * Fashion-MNIST-sized CNNs that copy cost as much as the multiplication itself (a third of the VGG-style model's time,
 * measured with JFR). With stride 1 the copy is unnecessary. Pad the image once to {@code Hp × Wp} and index output
 * pixels "wide", {@code j = oh·Wp + ow} with {@code ow < Wp}: then column-matrix row {@code (c, kh, kw)} restricted to
 * consecutive pixels is a <em>contiguous</em> run of the padded image starting at
 * {@code c·Hp·Wp + kh·dH·Wp + kw·dW + j}. The SGEMM micro-kernel reads its B panel straight from there through a row
 * table ({@link VectorSgemm#kernel}); the {@code Wp − Wout} extra columns per output row are computed and dropped when
 * the result is copied to the NCHW output (7 % extra work for a 3×3 "same" convolution on 28 × 28). This is the
 * "shifted window" form of convolution lowering used by, among others, the indirect convolution algorithm (Dukhan,
 * "The Indirect Convolution Algorithm", 2019), here without the indirection buffer since stride 1 makes rows affine.
 *
 * <p>The filters are packed once per call into the micro-kernel's A-panel layout for the whole K (= C/g · kH · kW),
 * or taken pre-packed from {@link #packFilters}. Vector path only: the scalar reference for the same results is the
 * im2col path in {@link Convolution}, and the differential test compares the two.
 */
final class ShiftedConvolution {
    private static final int MR = VectorSgemm.MR;
    private static final int NR = VectorSgemm.NR;
    private static final int KC = VectorSgemm.KC;
    /**
     * Below this many multiply-adds per image and group (about 20 µs of one core), splitting one image over threads
     * costs more than it saves: handing a task to a parked worker and joining it takes 5-20 µs on these machines.
     */
    private static final long SPLIT_MIN_FLOPS = 1L << 20;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private ShiftedConvolution() {
    }

    /** Stride 1 on every axis and no depth axis (1-D or 2-D). Dilations and any pads are fine. */
    static boolean supports(ConvGeometry g) {
        int[] s = g.stride();
        return g.in()[0] == 1 && g.kernel()[0] == 1 && g.padBegin()[0] == 0 && g.padEnd()[0] == 0
                && s[0] == 1 && s[1] == 1 && s[2] == 1;
    }

    /** The filters of every group in the micro-kernel's A-panel layout over the whole K: reusable across calls. */
    static float[][] packFilters(ConvGeometry g, float[] w) {
        int k = g.columnRows();
        int mg = g.outPerGroup();
        float[][] packed = new float[g.groups()][];
        for (int grp = 0; grp < g.groups(); grp++) {
            packed[grp] = new float[VectorSgemm.roundUp(mg, MR) * k];
            GemmProblem filters = new GemmProblem(false, false, mg, 0, k, 1f, w, grp * mg * k, k, null, 0, 0, null,
                    0f, null, 0, 0, Epilogue.none());
            VectorSgemm.packA(filters, 0, mg, 0, k, packed[grp]);
        }
        return packed;
    }

    /**
     * y = act(conv(x, w) + bias). {@code packed}: from {@link #packFilters} for these filters, or null to pack here.
     * The caller has checked the array sizes.
     */
    static void forward(ConvGeometry g, float[] x, float[][] packed, float[] bias, Activation act, float[] y,
                        Parallel par) {
        Layout l = new Layout(g);
        int units = g.batch() * g.groups();
        long flops = (long) g.outPerGroup() * l.k * l.wide;
        if (units >= par.threads() || flops < SPLIT_MIN_FLOPS) {
            par.forRange(units, 1, (from, to) -> {
                Buffers b = BUFFERS.get();
                for (int u = from; u < to; u++) {
                    int n = u / g.groups();
                    int grp = u % g.groups();
                    float[] xpad = b.padded(l, x, n, grp);
                    float[] wide = b.wide(l);
                    tiles(l, packed[grp], xpad, wide, 0, l.tiles());
                    store(l, wide, n, grp, bias, act, y);
                }
            });
            return;
        }
        // Fewer images than threads (batch 1): split each image's output tiles over the threads.
        Buffers b = BUFFERS.get();
        for (int u = 0; u < units; u++) {
            int n = u / g.groups();
            int grp = u % g.groups();
            float[] xpad = b.padded(l, x, n, grp);
            float[] wide = b.wide(l);
            float[] filters = packed[grp];
            par.forRange(l.tiles(), 1, (from, to) -> tiles(l, filters, xpad, wide, from, to));
            store(l, wide, n, grp, bias, act, y);
        }
    }

    /** Output tiles {@code [from, to)} (MR channels × NR wide pixels each, channel-panel major) into {@code wide}. */
    private static void tiles(Layout l, float[] filters, float[] xpad, float[] wide, int from, int to) {
        for (int t = from; t < to; t++) {
            int ir = t / l.pixelPanels * MR;
            int j = t % l.pixelPanels * NR;
            for (int pc = 0; pc < l.k; pc += KC) {
                int kc = Math.min(KC, l.k - pc);
                VectorSgemm.kernel(kc, filters, ir * l.k + pc * MR, xpad, j, l.rows, pc, wide, ir * l.ldw + j, l.ldw,
                        pc == 0 ? 0f : 1f);
            }
        }
    }

    /** Copies the valid columns of the wide result to NCHW {@code y} and applies bias and activation there. */
    private static void store(Layout l, float[] wide, int n, int grp, float[] bias, Activation act, float[] y) {
        ConvGeometry g = l.g;
        int plane = g.outPlane();
        int yOff = (n * g.outChannels() + grp * l.mg) * plane;
        for (int m = 0; m < l.mg; m++) {
            for (int oh = 0; oh < l.outH; oh++) {
                System.arraycopy(wide, m * l.ldw + oh * l.wp, y, yOff + m * plane + oh * l.outW, l.outW);
            }
        }
        Epilogue e = bias == null ? Epilogue.of(act) : Epilogue.rowBias(bias, grp * l.mg, act);
        e.apply(y, yOff, plane, 0, l.mg, 0, plane, true);
    }

    /** Sizes of the padded input and the wide output, and the row table of the implicit column matrix. */
    private static final class Layout {
        final ConvGeometry g;
        final int hp;
        final int wp;
        final int outH;
        final int outW;
        final int k;
        final int mg;
        /** Wide output pixels: {@code (outH − 1)·Wp + outW}, the last row needs no padding columns. */
        final int wide;
        final int pixelPanels;
        /** Row stride of the wide output buffer: whole panels, so every micro-kernel call writes a full tile. */
        final int ldw;
        /** Floats of one group's padded input, plus NR of slack the last panel's reads run into. */
        final int paddedSize;
        /** {@code rows[(c·kH + kh)·kW + kw]} = offset of that column-matrix row in the padded input. */
        final int[] rows;

        Layout(ConvGeometry g) {
            this.g = g;
            int[] in = g.in();
            int[] kernel = g.kernel();
            int[] d = g.dilation();
            hp = in[1] + g.padBegin()[1] + g.padEnd()[1];
            wp = in[2] + g.padBegin()[2] + g.padEnd()[2];
            outH = g.out()[1];
            outW = g.out()[2];
            k = g.columnRows();
            mg = g.outPerGroup();
            wide = (outH - 1) * wp + outW;
            pixelPanels = (wide + NR - 1) / NR;
            ldw = pixelPanels * NR;
            paddedSize = g.inPerGroup() * hp * wp + NR;
            rows = new int[k];
            int r = 0;
            for (int c = 0; c < g.inPerGroup(); c++) {
                for (int kh = 0; kh < kernel[1]; kh++) {
                    for (int kw = 0; kw < kernel[2]; kw++) {
                        rows[r++] = c * hp * wp + kh * d[1] * wp + kw * d[2];
                    }
                }
            }
        }

        int tiles() {
            return (mg + MR - 1) / MR * pixelPanels;
        }
    }

    /** Per-thread padded-input and wide-output buffers, grown on demand. */
    private static final class Buffers {
        private float[] padded = new float[0];
        private float[] wide = new float[0];

        /** Image n's input channels of group grp, zero-padded to Hp × Wp. */
        float[] padded(Layout l, float[] x, int n, int grp) {
            if (padded.length < l.paddedSize) {
                padded = new float[l.paddedSize];
            } else {
                Arrays.fill(padded, 0, l.paddedSize, 0f);
            }
            ConvGeometry g = l.g;
            int h = g.in()[1];
            int w = g.in()[2];
            int top = g.padBegin()[1];
            int left = g.padBegin()[2];
            int src = (n * g.inChannels() + grp * g.inPerGroup()) * g.inPlane();
            for (int c = 0; c < g.inPerGroup(); c++) {
                int dst = c * l.hp * l.wp + top * l.wp + left;
                for (int i = 0; i < h; i++, src += w, dst += l.wp) {
                    System.arraycopy(x, src, padded, dst, w);
                }
            }
            return padded;
        }

        float[] wide(Layout l) {
            int size = VectorSgemm.roundUp(l.mg, MR) * l.ldw;
            if (wide.length < size) {
                wide = new float[size];
            }
            return wide;
        }
    }
}
