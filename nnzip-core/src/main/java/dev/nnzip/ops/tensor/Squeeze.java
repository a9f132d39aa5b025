package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Squeeze (opsets 1, 11, 13, 21): removes the listed size-1 axes, or every size-1 axis when none are listed. Axes
 * are an attribute before opset 13 and an optional input from 13 on. Shares the data.
 */
final class Squeeze {
    private Squeeze() {
    }

    static OpKernel create(Node node, int opset) {
        long[] attrAxes = opset < 13 ? node.attributes().getInts("axes", null) : null;
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "data");
            Tensor axesInput = opset >= 13 ? Args.optional(in, 1) : null;
            long[] axes = axesInput != null ? Args.ints(axesInput, "axes") : attrAxes;
            if (axes != null && axes.length == 0) {
                axes = null; // an empty list means "not given", as ONNX Runtime reads it
            }
            int[] shape = x.shape();
            boolean[] drop = new boolean[shape.length];
            if (axes == null) {
                for (int d = 0; d < shape.length; d++) {
                    drop[d] = shape[d] == 1;
                }
            } else {
                for (int a : Args.axes(axes, shape.length, "Squeeze axes")) {
                    if (shape[a] != 1) {
                        throw new IllegalArgumentException("cannot squeeze axis " + a + " of shape "
                                + Arrays.toString(shape) + ": its size is " + shape[a] + ", not 1");
                    }
                    drop[a] = true;
                }
            }
            int[] out = new int[shape.length];
            int n = 0;
            for (int d = 0; d < shape.length; d++) {
                if (!drop[d]) {
                    out[n++] = shape[d];
                }
            }
            return new Tensor[] {x.reshape(Arrays.copyOf(out, n))};
        };
    }
}
