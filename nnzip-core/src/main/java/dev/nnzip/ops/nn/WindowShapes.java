package dev.nnzip.ops.nn;

import dev.nnzip.graph.Attributes;
import java.util.Arrays;

/**
 * Output shapes of the window operators (Conv, pooling, ConvTranspose) from the node's attributes and the input shapes,
 * for shape inference before running. The same {@link WindowAttributes} parsing and output-size rules the kernels use,
 * so the inferred shape is the one the kernel produces.
 */
public final class WindowShapes {
    private WindowShapes() {
    }

    /** Conv (and FusedConv): input {@code x} = [N, C, D...], weights {@code w} = [M, C/group, k...]. */
    public static int[] conv(Attributes a, int[] x, int[] w) {
        int group = Math.toIntExact(a.getInt("group", 1));
        if (w.length != x.length || x.length < 3 || w[1] * group != x[1]) {
            throw new IllegalArgumentException("Conv: W " + Arrays.toString(w) + " with group " + group
                    + " does not fit X " + Arrays.toString(x));
        }
        return WindowAttributes.parse(a).forward(x, w[0], group, Arrays.copyOfRange(w, 2, w.length)).outputShape();
    }

    /** MaxPool, AveragePool and LpPool: the channels pass through. */
    public static int[] pool(Attributes a, int[] x) {
        WindowAttributes window = WindowAttributes.parse(a);
        int[] kernel = WindowAttributes.perAxis("kernel_shape", window.kernelShape(), Math.max(x.length - 2, 0), 1);
        return window.forward(x, x[1], 1, kernel).outputShape();
    }

    /**
     * ConvTranspose: {@code output_shape} when given (spatial dims, or all of them), else
     * {@code s·(in−1) + output_padding + (k−1)·d + 1 − pads}, with SAME_* auto_pad giving {@code in·s} (ONNX
     * ConvTranspose; the kernel's rule in {@code ConvTransposeOp}).
     */
    public static int[] convTranspose(Attributes a, int[] x, int[] w) {
        WindowAttributes window = WindowAttributes.parse(a);
        int group = Math.toIntExact(a.getInt("group", 1));
        int rank = x.length - 2;
        if (rank < 1 || w.length != x.length || w[0] != x[1]) {
            throw new IllegalArgumentException("ConvTranspose: W " + Arrays.toString(w) + " does not fit X "
                    + Arrays.toString(x));
        }
        int[] s = WindowAttributes.perAxis("strides", window.strides(), rank, 1);
        int[] d = WindowAttributes.perAxis("dilations", window.dilations(), rank, 1);
        int[] opad = WindowAttributes.perAxis("output_padding", a.getInts("output_padding", null), rank, 0);
        long[] outputShape = a.getInts("output_shape", null);
        int[] out = new int[rank + 2];
        out[0] = x[0];
        out[1] = w[1] * group;
        boolean same = window.autoPad() == WindowAttributes.AutoPad.SAME_UPPER
                || window.autoPad() == WindowAttributes.AutoPad.SAME_LOWER;
        int[] pads = outputShape == null && window.autoPad() == WindowAttributes.AutoPad.NOTSET
                && window.pads() != null ? WindowAttributes.perAxis("pads", window.pads(), 2 * rank, 0)
                : new int[2 * rank];
        int[] requested = null;
        if (outputShape != null) {
            long[] os = outputShape.length == rank + 2 ? Arrays.copyOfRange(outputShape, 2, rank + 2) : outputShape;
            requested = WindowAttributes.perAxis("output_shape", os, rank, 0);
        }
        for (int i = 0; i < rank; i++) {
            int k = w[i + 2];
            int natural = s[i] * (x[i + 2] - 1) + opad[i] + (k - 1) * d[i] + 1;
            out[i + 2] = requested != null ? requested[i] : same ? x[i + 2] * s[i] : natural - pads[i] - pads[i + rank];
        }
        return out;
    }
}
