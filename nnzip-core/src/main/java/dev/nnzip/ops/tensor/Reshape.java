package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Reshape (opsets 5, 13, 14, 19, 21): the data under a new shape, without copying. In the target shape, 0 copies
 * the input's dimension at that position (unless {@code allowzero=1}, opset 14+, where 0 means an empty dimension) and
 * one -1 is inferred from the remaining size.
 */
final class Reshape {
    private Reshape() {
    }

    static OpKernel create(Node node, int opset) {
        boolean allowZero = node.attributes().getInt("allowzero", 0) != 0;
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "data");
            long[] target = Args.ints(Args.required(in, 1, "shape"), "shape");
            return new Tensor[] {x.reshape(outputShape(x.shape(), target, allowZero))};
        };
    }

    /** The output shape for {@code target} applied to {@code input}, or an error naming both shapes. */
    static int[] outputShape(int[] input, long[] target, boolean allowZero) {
        int[] out = new int[target.length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            long d = target[i];
            if (d == -1) {
                if (inferred >= 0) {
                    throw error(input, target, "more than one dimension is -1");
                }
                inferred = i;
                continue;
            }
            if (d == 0 && !allowZero) {
                if (i >= input.length) {
                    throw error(input, target, "dimension " + i + " is 0 (copy the input's) but the input has only "
                            + input.length + " dimensions");
                }
                d = input[i];
            } else if (d < 0) {
                throw error(input, target, "dimension " + i + " is " + d + ", expected -1, 0 or a positive size");
            }
            out[i] = (int) Math.min(d, Integer.MAX_VALUE);
            known *= d;
            if (known > Integer.MAX_VALUE) {
                throw error(input, target, "the target has more than 2^31-1 elements");
            }
        }
        long size = 1;
        for (int d : input) {
            size *= d;
        }
        if (inferred >= 0) {
            if (known == 0 || size % known != 0) {
                throw error(input, target, "cannot infer the -1 dimension: " + size + " elements are not a multiple of "
                        + known);
            }
            out[inferred] = (int) (size / known);
        } else if (known != size) {
            throw error(input, target, "the input has " + size + " elements, the target shape " + known);
        }
        return out;
    }

    private static IllegalArgumentException error(int[] input, long[] target, String why) {
        return new IllegalArgumentException("cannot reshape " + Arrays.toString(input) + " to "
                + Arrays.toString(target) + ": " + why);
    }
}
