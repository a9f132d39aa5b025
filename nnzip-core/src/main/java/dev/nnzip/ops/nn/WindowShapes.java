package dev.nnzip.ops.nn;

import dev.nnzip.graph.Attributes;
import dev.nnzip.kernels.ConvGeometry;
import java.util.Arrays;

/**
 * Output shapes and geometries of the window operators (Conv, pooling, ConvTranspose) from the node's attributes and
 * the input shapes, for code outside the operators: shape inference before running, and the compressor's bias
 * correction (which input pixels each filter tap reads). The same {@link WindowAttributes} parsing and output-size
 * rules the kernels use, so the answer is what the kernel does.
 */
public final class WindowShapes {
    private WindowShapes() {
    }

    /** Conv (and FusedConv): input {@code x} = [N, C, D...], weights {@code w} = [M, C/group, k...]. */
    public static int[] conv(Attributes a, int[] x, int[] w) {
        return convGeometry(a, x, w).outputShape();
    }

    /**
     * The geometry a Conv sweeps over input {@code x} = [N, C, D...] with weights {@code w} = [M, C/group, k...]
     * (attributes {@code kernel_shape, strides, dilations, pads, auto_pad, group}).
     *
     * @throws IllegalArgumentException if the attributes are invalid or do not fit the shapes
     */
    public static ConvGeometry convGeometry(Attributes a, int[] x, int[] w) {
        long group = a.getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Conv: group must be >= 1, got " + group);
        }
        if (w.length != x.length || x.length < 3 || w[1] * group != x[1]) {
            throw new IllegalArgumentException("Conv: W " + Arrays.toString(w) + " with group " + group
                    + " does not fit X " + Arrays.toString(x));
        }
        return WindowAttributes.parse(a).forward(x, w[0], (int) group, Arrays.copyOfRange(w, 2, w.length));
    }

    /** MaxPool, AveragePool and LpPool: the channels pass through. */
    public static int[] pool(Attributes a, int[] x) {
        WindowAttributes window = WindowAttributes.parse(a);
        int[] kernel = WindowAttributes.perAxis("kernel_shape", window.kernelShape(), Math.max(x.length - 2, 0), 1);
        return window.forward(x, x[1], 1, kernel).outputShape();
    }

    /**
     * ConvTranspose: [N, M, spatial...] with the kernel's rule ({@code WindowAttributes.transposed}).
     */
    public static int[] convTranspose(Attributes a, int[] x, int[] w) {
        int group = Math.toIntExact(a.getInt("group", 1));
        int rank = x.length - 2;
        if (rank < 1 || w.length != x.length || w[0] != x[1]) {
            throw new IllegalArgumentException("ConvTranspose: W " + Arrays.toString(w) + " does not fit X "
                    + Arrays.toString(x));
        }
        int[] spatial = WindowAttributes.parse(a).transposed(Arrays.copyOfRange(x, 2, x.length),
                Arrays.copyOfRange(w, 2, w.length), a.getInts("output_padding", null), a.getInts("output_shape", null))
                .out();
        int[] out = new int[rank + 2];
        out[0] = x[0];
        out[1] = w[1] * group;
        System.arraycopy(spatial, 0, out, 2, rank);
        return out;
    }
}
