package dev.nnzip.ops.nn;

import dev.nnzip.graph.Attributes;
import dev.nnzip.kernels.ConvGeometry;
import java.util.Arrays;
import java.util.Locale;

/**
 * The window attributes Conv, ConvTranspose and the pooling operators share ({@code kernel_shape}, {@code strides},
 * {@code dilations}, {@code pads}, {@code auto_pad}, {@code ceil_mode}), parsed and checked once when the node is
 * compiled, and the ONNX output-size rules that turn them into a {@link ConvGeometry} for a given input shape.
 *
 * <p>Arrays may be null when the attribute is absent (then the spatial rank, known only from the input, decides the
 * defaults: strides and dilations 1, pads 0).
 */
record WindowAttributes(long[] kernelShape, long[] strides, long[] dilations, long[] pads, AutoPad autoPad,
                        boolean ceilMode) {
    enum AutoPad { NOTSET, SAME_UPPER, SAME_LOWER, VALID }

    static WindowAttributes parse(Attributes a) {
        String ap = a.getString("auto_pad", "NOTSET").toUpperCase(Locale.ROOT);
        AutoPad autoPad;
        try {
            autoPad = AutoPad.valueOf(ap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auto_pad '" + ap + "' is not one of "
                    + Arrays.toString(AutoPad.values()));
        }
        WindowAttributes w = new WindowAttributes(a.getInts("kernel_shape", null), a.getInts("strides", null),
                a.getInts("dilations", null), a.getInts("pads", null), autoPad, a.getInt("ceil_mode", 0) != 0);
        w.validate();
        return w;
    }

    private void validate() {
        positive("kernel_shape", kernelShape);
        positive("strides", strides);
        positive("dilations", dilations);
        if (pads != null) {
            if (pads.length % 2 != 0) {
                throw new IllegalArgumentException("pads must hold a begin and an end value per spatial axis, got "
                        + Arrays.toString(pads));
            }
            for (long p : pads) {
                if (p < 0) {
                    throw new IllegalArgumentException("pads must be >= 0, got " + Arrays.toString(pads));
                }
            }
        }
        int r = kernelShape != null ? kernelShape.length : -1;
        checkRank("strides", strides, r);
        checkRank("dilations", dilations, r);
        if (pads != null) {
            checkRank("pads (halved)", new long[pads.length / 2], r);
        }
    }

    private static void positive(String name, long[] v) {
        if (v == null) {
            return;
        }
        for (long x : v) {
            if (x < 1 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be >= 1, got " + Arrays.toString(v));
            }
        }
    }

    private static void checkRank(String name, long[] v, int rank) {
        if (v != null && rank >= 0 && v.length != rank) {
            throw new IllegalArgumentException(name + " has " + v.length + " entries but kernel_shape has " + rank);
        }
    }

    /** Checks an attribute's length against the input's spatial rank and widens it to ints (default when absent). */
    static int[] perAxis(String name, long[] v, int rank, int dflt) {
        int[] out = new int[rank];
        if (v == null) {
            Arrays.fill(out, dflt);
            return out;
        }
        if (v.length != rank) {
            throw new IllegalArgumentException(name + " " + Arrays.toString(v) + " has " + v.length
                    + " entries but the input has " + rank + " spatial dimensions");
        }
        for (int i = 0; i < rank; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    /**
     * The geometry of a convolution or pooling over input {@code x} ({@code [N, C, spatial...]}) with window
     * {@code kernel} (from kernel_shape or the weights). Output extents follow the ONNX Conv/MaxPool definitions:
     * explicit pads: {@code floor((in + pads − ((k−1)·d + 1)) / s) + 1} (ceil in ceil_mode, dropping a last window that
     * would start in the end padding, as ONNX Runtime and PyTorch do); VALID: no padding; SAME_UPPER/SAME_LOWER:
     * {@code ceil(in / s)} with the total padding split evenly, the odd one at the end (UPPER) or the beginning
     * (LOWER).
     */
    ConvGeometry forward(int[] x, int outChannels, int groups, int[] kernel) {
        int rank = x.length - 2;
        if (rank < 1 || rank > 3) {
            throw new IllegalArgumentException("input must be [N, C, D1..Dn] with 1 to 3 spatial dimensions, got shape "
                    + Arrays.toString(x));
        }
        if (kernel.length != rank) {
            throw new IllegalArgumentException("kernel " + Arrays.toString(kernel) + " does not match the "
                    + rank + " spatial dimensions of input " + Arrays.toString(x));
        }
        int[] in = Arrays.copyOfRange(x, 2, x.length);
        int[] s = perAxis("strides", strides, rank, 1);
        int[] d = perAxis("dilations", dilations, rank, 1);
        int[] pb = new int[rank];
        int[] pe = new int[rank];
        int[] out = new int[rank];
        if (autoPad == AutoPad.NOTSET && pads != null) {
            int[] p = perAxis("pads", pads, 2 * rank, 0);
            System.arraycopy(p, 0, pb, 0, rank);
            System.arraycopy(p, rank, pe, 0, rank);
        }
        for (int i = 0; i < rank; i++) {
            int span = (kernel[i] - 1) * d[i] + 1;
            switch (autoPad) {
                case SAME_UPPER, SAME_LOWER -> {
                    out[i] = (in[i] + s[i] - 1) / s[i];
                    int total = Math.max(0, (out[i] - 1) * s[i] + span - in[i]);
                    pb[i] = autoPad == AutoPad.SAME_UPPER ? total / 2 : total - total / 2;
                    pe[i] = total - pb[i];
                }
                case VALID -> out[i] = Math.floorDiv(in[i] - span, s[i]) + 1;
                case NOTSET -> {
                    int room = in[i] + pb[i] + pe[i] - span;
                    if (!ceilMode) {
                        out[i] = Math.floorDiv(room, s[i]) + 1;
                    } else {
                        out[i] = Math.floorDiv(room + s[i] - 1, s[i]) + 1;
                        if ((out[i] - 1) * s[i] >= in[i] + pb[i]) {
                            out[i]--; // the last window would start inside the end padding
                        }
                    }
                }
            }
            if (out[i] < 0) {
                throw new IllegalArgumentException("window " + Arrays.toString(kernel) + " (dilations "
                        + Arrays.toString(d) + ") does not fit input " + Arrays.toString(x) + " with pads "
                        + Arrays.toString(pb) + "/" + Arrays.toString(pe));
            }
        }
        return ConvGeometry.of(x[0], x[1], outChannels, groups, in, kernel, s, d, pb, pe, out);
    }

    /** ConvTranspose's output extents and the pads that produce them (one entry per spatial axis). */
    record Transposed(int[] out, int[] padBegin, int[] padEnd) {
    }

    /**
     * ConvTranspose's output size per spatial axis: {@code output_shape} when given (spatial dims, or all of them), or
     * {@code in·s} under SAME_UPPER/SAME_LOWER, with the total padding {@code natural − out} split as the spec says
     * (the odd one at the end for SAME_UPPER); else {@code natural − pads}, where
     * {@code natural = s·(in−1) + output_padding + (k−1)·d + 1}.
     */
    Transposed transposed(int[] in, int[] kernel, long[] outputPadding, long[] outputShape) {
        int rank = in.length;
        int[] s = perAxis("strides", strides, rank, 1);
        int[] d = perAxis("dilations", dilations, rank, 1);
        int[] opad = perAxis("output_padding", outputPadding, rank, 0);
        int[] pb = new int[rank];
        int[] pe = new int[rank];
        int[] out = new int[rank];
        int[] requested = null;
        if (outputShape != null) {
            long[] os = outputShape.length == rank + 2 ? Arrays.copyOfRange(outputShape, 2, rank + 2) : outputShape;
            requested = perAxis("output_shape", os, rank, 0);
        }
        boolean same = autoPad == AutoPad.SAME_UPPER || autoPad == AutoPad.SAME_LOWER;
        if (requested == null && autoPad == AutoPad.NOTSET && pads != null) {
            int[] p = perAxis("pads", pads, 2 * rank, 0);
            System.arraycopy(p, 0, pb, 0, rank);
            System.arraycopy(p, rank, pe, 0, rank);
        }
        for (int i = 0; i < rank; i++) {
            int natural = s[i] * (in[i] - 1) + opad[i] + (kernel[i] - 1) * d[i] + 1;
            if (requested != null || same) {
                out[i] = requested != null ? requested[i] : in[i] * s[i];
                int total = Math.max(0, natural - out[i]);
                pb[i] = autoPad == AutoPad.SAME_UPPER ? total / 2 : total - total / 2;
                pe[i] = total - pb[i];
            } else {
                out[i] = natural - pb[i] - pe[i];
            }
        }
        return new Transposed(out, pb, pe);
    }
}
