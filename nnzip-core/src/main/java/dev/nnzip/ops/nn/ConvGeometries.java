package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.ConvGeometry;

/**
 * The geometry an ONNX Conv node sweeps over a given input, by the same attribute parsing and output-size rules the
 * Conv kernel uses, for code outside the operators that must know which input pixels each filter tap reads (the
 * compressor's bias correction: a tap that falls into the zero padding contributes nothing to the output's mean).
 */
public final class ConvGeometries {
    private ConvGeometries() {
    }

    /**
     * @param conv    a Conv node (attributes {@code kernel_shape, strides, dilations, pads, auto_pad, group})
     * @param x       the input's shape {@code [N, C, D1..Dn]}
     * @param weights the filter's shape {@code [M, C/group, k1..kn]}
     * @throws IllegalArgumentException if the attributes are invalid or do not fit the shapes
     */
    public static ConvGeometry of(Node conv, int[] x, int[] weights) {
        long group = conv.attributes().getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group must be >= 1, got " + group);
        }
        int[] kernel = java.util.Arrays.copyOfRange(weights, 2, weights.length);
        return WindowAttributes.parse(conv.attributes()).forward(x, weights[0], (int) group, kernel);
    }
}
