package dev.nnzip.kernels;

import java.util.Arrays;

/**
 * The shape of one convolution or pooling window sweep, with 1, 2 or 3 spatial dimensions stored canonically as three
 * (depth, height, width): a 2-D problem has depth 1, a 1-D problem depth and height 1, with kernel 1, stride 1,
 * dilation 1 and no padding on the added axes. Kernels then need only one 3-D loop nest.
 *
 * <p>Tensors are NC(D)(H)W, row-major: input {@code [batch, inChannels, in...]}, output {@code [batch, outChannels,
 * out...]}; convolution weights {@code [outChannels, inChannels / groups, kernel...]} as in the ONNX Conv operator.
 *
 * @param spatialRank the number of spatial axes of the original problem (1..3)
 * @param in          input extents (d, h, w)
 * @param kernel      window extents
 * @param stride      window strides
 * @param dilation    window dilations
 * @param padBegin    zero padding before each axis
 * @param padEnd      zero padding after each axis
 * @param out         output extents
 */
public record ConvGeometry(int batch, int inChannels, int outChannels, int groups, int spatialRank,
                           int[] in, int[] kernel, int[] stride, int[] dilation, int[] padBegin, int[] padEnd,
                           int[] out) {
    public ConvGeometry {
        if (spatialRank < 1 || spatialRank > 3) {
            throw new IllegalArgumentException("1 to 3 spatial dimensions are supported, got " + spatialRank);
        }
        for (int[] a : new int[][] {in, kernel, stride, dilation, padBegin, padEnd, out}) {
            if (a.length != 3) {
                throw new IllegalArgumentException("canonical geometry arrays have 3 entries, got "
                        + Arrays.toString(a));
            }
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide input channels " + inChannels
                    + " and output channels " + outChannels);
        }
        in = in.clone();
        kernel = kernel.clone();
        stride = stride.clone();
        dilation = dilation.clone();
        padBegin = padBegin.clone();
        padEnd = padEnd.clone();
        out = out.clone();
    }

    /**
     * Builds a geometry from per-spatial-axis arrays of length {@code in.length} (1..3), left-padding them to the
     * canonical three axes.
     */
    public static ConvGeometry of(int batch, int inChannels, int outChannels, int groups, int[] in, int[] kernel,
                                  int[] stride, int[] dilation, int[] padBegin, int[] padEnd, int[] out) {
        int r = in.length;
        return new ConvGeometry(batch, inChannels, outChannels, groups, r, canon(in, 1), canon(kernel, 1),
                canon(stride, 1), canon(dilation, 1), canon(padBegin, 0), canon(padEnd, 0), canon(out, 1));
    }

    private static int[] canon(int[] a, int fill) {
        if (a.length > 3) {
            throw new IllegalArgumentException("at most 3 spatial dimensions are supported, got " + a.length);
        }
        int[] c = new int[3];
        Arrays.fill(c, fill);
        System.arraycopy(a, 0, c, 3 - a.length, a.length);
        return c;
    }

    /** Output extent of one axis of a convolution: {@code floor((in + pads - dilation·(k-1) - 1) / stride) + 1}. */
    public static int convOutput(int in, int k, int stride, int dilation, int padBegin, int padEnd) {
        return Math.floorDiv(in + padBegin + padEnd - dilation * (k - 1) - 1, stride) + 1;
    }

    public int inPlane() {
        return in[0] * in[1] * in[2];
    }

    public int outPlane() {
        return out[0] * out[1] * out[2];
    }

    public int kernelSize() {
        return kernel[0] * kernel[1] * kernel[2];
    }

    public int inPerGroup() {
        return inChannels / groups;
    }

    public int outPerGroup() {
        return outChannels / groups;
    }

    /** Rows of the im2col matrix: {@code inChannels / groups · kernelSize}. */
    public int columnRows() {
        return inPerGroup() * kernelSize();
    }

    /** True for a 1×1(×1) window with stride 1 and no padding: the convolution is a plain matrix product. */
    public boolean isPointwise() {
        for (int a = 0; a < 3; a++) {
            if (kernel[a] != 1 || stride[a] != 1 || padBegin[a] != 0 || padEnd[a] != 0 || in[a] != out[a]) {
                return false;
            }
        }
        return true;
    }

    /** True when every group has exactly one input channel (depthwise; outChannels may be a multiple of it). */
    public boolean isDepthwise() {
        return groups == inChannels && groups > 1;
    }

    /** The output shape {@code [batch, outChannels, out...]} with the original spatial rank. */
    public int[] outputShape() {
        int[] s = new int[2 + spatialRank];
        s[0] = batch;
        s[1] = outChannels;
        System.arraycopy(out, 3 - spatialRank, s, 2, spatialRank);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvGeometry g && batch == g.batch && inChannels == g.inChannels
                && outChannels == g.outChannels && groups == g.groups && spatialRank == g.spatialRank
                && Arrays.equals(in, g.in) && Arrays.equals(kernel, g.kernel) && Arrays.equals(stride, g.stride)
                && Arrays.equals(dilation, g.dilation) && Arrays.equals(padBegin, g.padBegin)
                && Arrays.equals(padEnd, g.padEnd) && Arrays.equals(out, g.out);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {batch, inChannels, outChannels, groups, Arrays.hashCode(in),
                Arrays.hashCode(kernel), Arrays.hashCode(out)});
    }

    @Override
    public String toString() {
        int r = spatialRank;
        return "ConvGeometry[N=" + batch + ", C=" + inChannels + ", M=" + outChannels + ", groups=" + groups
                + ", in=" + tail(in, r) + ", kernel=" + tail(kernel, r) + ", stride=" + tail(stride, r)
                + ", dilation=" + tail(dilation, r) + ", pads=" + tail(padBegin, r) + "/" + tail(padEnd, r)
                + ", out=" + tail(out, r) + "]";
    }

    private static String tail(int[] a, int r) {
        return Arrays.toString(Arrays.copyOfRange(a, 3 - r, 3));
    }
}
