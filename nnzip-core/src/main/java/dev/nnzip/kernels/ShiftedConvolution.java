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
 * Small maps put several images side by side on the pixel axis ({@link #imagesPerUnit}), so that a 4 × 4 or 2 × 2
 * map still fills the micro-kernel's columns.
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
    /** Wide pixels a unit of images aims for: four micro-kernel panels with 512-bit vectors. */
    private static final int PIXELS_PER_UNIT = 256;
    /** Floats of padded input one unit of images may take (256 KiB). */
    private static final long MAX_UNIT_INPUT = 1L << 16;

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
        Layout l = new Layout(g, imagesPerUnit(g));
        int chunks = (g.batch() + l.images - 1) / l.images;
        int units = chunks * g.groups();
        long flops = (long) g.outPerGroup() * l.k * l.wide;
        if (units >= par.threads() || flops < SPLIT_MIN_FLOPS) {
            par.forRange(units, 1, (from, to) -> {
                Buffers b = BUFFERS.get();
                for (int u = from; u < to; u++) {
                    int n0 = u / g.groups() * l.images;
                    int count = Math.min(l.images, g.batch() - n0);
                    int grp = u % g.groups();
                    float[] xpad = b.padded(l, x, n0, count, grp);
                    float[] wide = b.wide(l);
                    tiles(l, l.panels(count), packed[grp], xpad, wide, 0, l.tiles(count));
                    store(l, wide, n0, count, grp, bias, act, y);
                }
            });
            return;
        }
        // Fewer units than threads (batch 1, or a batch that fits one unit): split each unit's tiles over the threads.
        Buffers b = BUFFERS.get();
        for (int u = 0; u < units; u++) {
            int n0 = u / g.groups() * l.images;
            int count = Math.min(l.images, g.batch() - n0);
            int grp = u % g.groups();
            float[] xpad = b.padded(l, x, n0, count, grp);
            float[] wide = b.wide(l);
            float[] filters = packed[grp];
            int panels = l.panels(count);
            par.forRange(l.tiles(count), 1, (from, to) -> tiles(l, panels, filters, xpad, wide, from, to));
            store(l, wide, n0, count, grp, bias, act, y);
        }
    }

    /**
     * Images side by side in one implicit GEMM: enough that the wide pixel axis fills {@link #PIXELS_PER_UNIT}
     * columns. A MobileNetV2 on 28 × 28 inputs runs its 1×1 convolutions on 14 × 14 down to 2 × 2 maps; one image at a
     * time, a 4-pixel map filled 4 of the micro-kernel's 64 columns and 94 % of the multiply-adds were padding.
     * Depends on the geometry only (never on the thread count), and every output element is the same sum in the same
     * order whichever unit computes it, so the grouping never changes a result.
     */
    static int imagesPerUnit(ConvGeometry g) {
        int imagePixels = Math.max(1,
                (g.in()[1] + g.padBegin()[1] + g.padEnd()[1]) * (g.in()[2] + g.padBegin()[2] + g.padEnd()[2]));
        int first = Math.max(1, Math.min(g.batch(), (PIXELS_PER_UNIT + imagePixels - 1) / imagePixels));
        // Up to 4x as many images when that fills the last panel better (14 × 14: 2 images use 392 of 448 columns,
        // 4 use 784 of 832; 8-10 % faster measured), while one unit's padded input stays within a quarter of a 1 MiB
        // L2 and the batch still makes at least 4 units to share among threads.
        int last = Math.max(first, Math.min(g.batch() / 4, (4 * PIXELS_PER_UNIT + imagePixels - 1) / imagePixels));
        long perImage = (long) g.inPerGroup() * imagePixels;
        int best = first;
        double bestUse = panelUse(first * imagePixels);
        for (int images = first + 1; images <= last && images * perImage <= MAX_UNIT_INPUT; images++) {
            double use = panelUse(images * imagePixels);
            if (use > bestUse) {
                best = images;
                bestUse = use;
            }
        }
        return best;
    }

    /** The fraction of whole NR-column panels that {@code columns} fill. */
    private static double panelUse(int columns) {
        return (double) columns / ((columns + NR - 1) / NR * NR);
    }

    /**
     * Output tiles {@code [from, to)} (MR channels × NR wide pixels each, channel-panel major, {@code panels} pixel
     * panels per channel panel) into {@code wide}.
     */
    private static void tiles(Layout l, int panels, float[] filters, float[] xpad, float[] wide, int from, int to) {
        float[] tile = VectorSgemm.workspace().tile;
        for (int t = from; t < to; t++) {
            int ir = t / panels * MR;
            int j = t % panels * NR;
            for (int pc = 0; pc < l.k; pc += KC) {
                int kc = Math.min(KC, l.k - pc);
                VectorSgemm.kernel(kc, filters, ir * l.k + pc * MR, xpad, j, l.rows, pc, wide, ir * l.ldw + j, l.ldw,
                        pc == 0 ? 0f : 1f, tile);
            }
        }
    }

    /**
     * Applies bias and activation to the wide result in whole vectors, then copies the valid pixels of each image to
     * NCHW {@code y}. The epilogue runs before the copy, over each channel's run of all the unit's images, because on
     * small maps the output planes are shorter than a vector and would be left to the scalar tail.
     */
    private static void store(Layout l, float[] wide, int n0, int count, int grp, float[] bias, Activation act,
                              float[] y) {
        ConvGeometry g = l.g;
        Epilogue e = bias == null ? Epilogue.of(act) : Epilogue.rowBias(bias, grp * l.mg, act);
        int span = Math.min(l.ldw, VectorSgemm.roundUp(l.wide(count), VectorSgemm.L));
        e.apply(wide, 0, l.ldw, 0, l.mg, 0, span, true);
        int plane = g.outPlane();
        boolean dense = l.wp == l.outW && l.hp == l.outH; // a 1×1 unpadded convolution: planes are contiguous
        for (int img = 0; img < count; img++) {
            int yOff = ((n0 + img) * g.outChannels() + grp * l.mg) * plane;
            int wOff = img * l.imagePixels;
            for (int m = 0; m < l.mg; m++) {
                if (dense) {
                    VectorCopy.copy(wide, m * l.ldw + wOff, y, yOff + m * plane, plane);
                    continue;
                }
                VectorCopy.rows(wide, m * l.ldw + wOff, l.wp, y, yOff + m * plane, l.outW, l.outH, l.outW);
            }
        }
    }

    /**
     * Sizes of the padded input and the wide output of a unit of {@code images} images, and the row table of the
     * implicit column matrix. The unit's padded input is channel-major, {@code [C/g][images][Hp][Wp]}, so one
     * column-matrix row stays a single run across all its images and the wide pixel index is
     * {@code j = img·Hp·Wp + oh·Wp + ow}; the pixels between two images' valid outputs are computed and dropped.
     */
    private static final class Layout {
        final ConvGeometry g;
        final int images;
        final int hp;
        final int wp;
        final int imagePixels;
        final int outH;
        final int outW;
        final int k;
        final int mg;
        /** Wide output pixels of a full unit. */
        final int wide;
        final int pixelPanels;
        /** Row stride of the wide output buffer: whole panels, so every micro-kernel call writes a full tile. */
        final int ldw;
        /** Floats of one group's padded input, plus NR of slack the last panel's reads run into. */
        final int paddedSize;
        /** {@code rows[(c·kH + kh)·kW + kw]} = offset of that column-matrix row in the padded input. */
        final int[] rows;

        Layout(ConvGeometry g, int images) {
            this.g = g;
            this.images = images;
            int[] in = g.in();
            int[] kernel = g.kernel();
            int[] d = g.dilation();
            hp = in[1] + g.padBegin()[1] + g.padEnd()[1];
            wp = in[2] + g.padBegin()[2] + g.padEnd()[2];
            imagePixels = hp * wp;
            outH = g.out()[1];
            outW = g.out()[2];
            k = g.columnRows();
            mg = g.outPerGroup();
            wide = wide(images);
            pixelPanels = (wide + NR - 1) / NR;
            ldw = pixelPanels * NR;
            paddedSize = Math.multiplyExact(g.inPerGroup() * images, imagePixels) + NR;
            rows = new int[k];
            int channelStride = images * imagePixels;
            int r = 0;
            for (int c = 0; c < g.inPerGroup(); c++) {
                for (int kh = 0; kh < kernel[1]; kh++) {
                    for (int kw = 0; kw < kernel[2]; kw++) {
                        rows[r++] = c * channelStride + kh * d[1] * wp + kw * d[2];
                    }
                }
            }
        }

        /** Wide output pixels of {@code count} images: the last image needs no padding rows or columns. */
        int wide(int count) {
            return (count - 1) * imagePixels + (outH - 1) * wp + outW;
        }

        /** Pixel panels covering {@code count} images. */
        int panels(int count) {
            return (wide(count) + NR - 1) / NR;
        }

        /** Tiles covering {@code count} images (channel panels × pixel panels). */
        int tiles(int count) {
            return (mg + MR - 1) / MR * panels(count);
        }
    }

    /** Per-thread padded-input and wide-output buffers, grown on demand. */
    private static final class Buffers {
        private float[] padded = new float[0];
        private float[] wide = new float[0];

        /** Images [n0, n0 + count)'s input channels of group grp, each zero-padded to Hp × Wp, channel-major. */
        float[] padded(Layout l, float[] x, int n0, int count, int grp) {
            ConvGeometry g = l.g;
            int h = g.in()[1];
            int w = g.in()[2];
            int top = g.padBegin()[1];
            int left = g.padBegin()[2];
            boolean dense = l.wp == w && l.hp == h; // no padding: a plane is one copy
            if (padded.length < l.paddedSize) {
                padded = new float[l.paddedSize];
            } else if (dense && count == l.images) {
                // Every value is overwritten but the slack, which only the dropped columns of the last panel read.
                Arrays.fill(padded, l.paddedSize - NR, l.paddedSize, 0f);
            } else {
                Arrays.fill(padded, 0, l.paddedSize, 0f);
            }
            for (int img = 0; img < count; img++) {
                int src = ((n0 + img) * g.inChannels() + grp * g.inPerGroup()) * g.inPlane();
                for (int c = 0; c < g.inPerGroup(); c++) {
                    int dst = (c * l.images + img) * l.imagePixels + top * l.wp + left;
                    if (dense) {
                        VectorCopy.copy(x, src, padded, dst, h * w);
                        src += h * w;
                        continue;
                    }
                    VectorCopy.rows(x, src, w, padded, dst, l.wp, h, w);
                    src += h * w;
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
