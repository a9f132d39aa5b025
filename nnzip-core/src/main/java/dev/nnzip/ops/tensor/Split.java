package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Split (opsets 2, 11, 13, 18): cuts the input along {@code axis} (default 0) into one piece per node output. The
 * piece sizes come from {@code split} (an attribute before opset 13, an optional input from 13 on); without it the axis
 * is cut into equal parts, and from opset 18 {@code num_outputs} cuts it into parts of {@code ceil(dim / n)} with a
 * smaller last part.
 */
final class Split {
    private Split() {
    }

    static OpKernel create(Node node, int opset) {
        var a = node.attributes();
        long axisAttr = a.getInt("axis", 0);
        long[] splitAttr = opset < 13 ? a.getInts("split", null) : null;
        int outputs = node.outputs().size();
        long numOutputs = a.getInt("num_outputs", -1);
        if (numOutputs >= 0 && numOutputs != outputs) {
            throw new IllegalArgumentException("Split num_outputs=" + numOutputs + " but the node has " + outputs
                    + " outputs");
        }
        boolean unevenAllowed = opset >= 18;
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "input");
            int axis = Args.axis(axisAttr, x.rank(), "Split axis");
            Tensor splitInput = opset >= 13 ? Args.optional(in, 1) : null;
            long[] split = splitInput != null && splitInput.size() > 0 ? Args.ints(splitInput, "split") : splitAttr;
            int[] sizes = sizes(x.shape(), axis, split, outputs, unevenAllowed);
            int[] shape = x.shape();
            int[] strides = StridedCopy.rowMajorStrides(shape);
            Tensor[] out = new Tensor[outputs];
            int start = 0;
            for (int i = 0; i < outputs; i++) {
                int[] partShape = shape.clone();
                partShape[axis] = sizes[i];
                out[i] = Tensor.zeros(x.dtype(), partShape);
                StridedCopy.gather(x.data(), start * strides[axis], strides, out[i].data(), partShape, ctx);
                start += sizes[i];
            }
            return out;
        };
    }

    static int[] sizes(int[] shape, int axis, long[] split, int outputs, boolean unevenAllowed) {
        int dim = shape[axis];
        int[] sizes = new int[outputs];
        if (split != null) {
            long sum = 0;
            for (long s : split) {
                if (s < 0) {
                    throw new IllegalArgumentException("Split sizes " + Arrays.toString(split) + " must be >= 0");
                }
                sum += s;
            }
            if (split.length != outputs || sum != dim) {
                throw new IllegalArgumentException("Split sizes " + Arrays.toString(split) + " must have one entry per "
                        + "output (" + outputs + ") and sum to dimension " + axis + " of " + Arrays.toString(shape));
            }
            for (int i = 0; i < outputs; i++) {
                sizes[i] = (int) split[i];
            }
            return sizes;
        }
        if (dim % outputs != 0 && !unevenAllowed) {
            throw new IllegalArgumentException("cannot split dimension " + axis + " of " + Arrays.toString(shape)
                    + " into " + outputs + " equal parts");
        }
        int chunk = (dim + outputs - 1) / outputs;
        for (int i = 0; i < outputs; i++) {
            sizes[i] = Math.max(0, Math.min(chunk, dim - i * chunk));
        }
        return sizes;
    }
}
