package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Unsqueeze (opsets 1, 11, 13, 21): inserts size-1 axes at the listed positions of the <em>output</em> (so axes
 * are normalized against {@code rank + len(axes)}, in any order). Axes are an attribute before opset 13 and a required
 * input from 13 on. Shares the data.
 */
final class Unsqueeze {
    private Unsqueeze() {
    }

    static OpKernel create(Node node, int opset) {
        long[] attrAxes = opset < 13 ? node.attributes().getInts("axes", null) : null;
        if (opset < 13 && attrAxes == null) {
            throw new IllegalArgumentException("Unsqueeze needs the 'axes' attribute before opset 13");
        }
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "data");
            long[] axes = opset >= 13 ? Args.ints(Args.required(in, 1, "axes"), "axes") : attrAxes;
            int outRank = x.rank() + axes.length;
            boolean[] inserted = new boolean[outRank];
            for (int a : Args.axes(axes, outRank, "Unsqueeze axes")) {
                inserted[a] = true;
            }
            int[] shape = x.shape();
            int[] out = new int[outRank];
            for (int d = 0, k = 0; d < outRank; d++) {
                out[d] = inserted[d] ? 1 : shape[k++];
            }
            return new Tensor[] {x.reshape(out)};
        };
    }
}
