package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX ScatterND (opsets 11, 13, 16, 18): a copy of {@code data} in which each index tuple (last axis of
 * {@code indices}, length {@code k}) addresses a slice {@code data[i0, …, i(k-1), :…]} that receives the matching slice of
 * {@code updates} (shape {@code indices.shape[:-1] + data.shape[k:]}), combined by {@code reduction}. Tuples apply in
 * order, so with reduction none a repeated index keeps the last update.
 */
final class ScatterND {
    private ScatterND() {
    }

    static OpKernel create(Node node, int opset) {
        ScatterReduction reduction = ScatterReduction.parse(node.attributes().getString("reduction", "none"), opset,
                "ScatterND");
        return (in, ctx) -> {
            Tensor data = Args.required(in, 0, "data");
            Tensor indices = Args.required(in, 1, "indices");
            Tensor updates = Args.required(in, 2, "updates");
            GatherND.NdIndex nd = GatherND.NdIndex.of(data.shape(), indices, 0, "ScatterND");
            int[] ishape = indices.shape();
            int[] dshape = data.shape();
            int[] expected = new int[ishape.length - 1 + dshape.length - nd.m()];
            System.arraycopy(ishape, 0, expected, 0, ishape.length - 1);
            System.arraycopy(dshape, nd.m(), expected, ishape.length - 1, dshape.length - nd.m());
            if (!Arrays.equals(expected, updates.shape()) || updates.dtype() != data.dtype()) {
                throw new IllegalArgumentException("ScatterND updates are " + updates.dtype()
                        + Arrays.toString(updates.shape()) + ", expected " + data.dtype() + Arrays.toString(expected)
                        + " (indices.shape[:-1] + data.shape[k:])");
            }
            Tensor out = data.copy();
            int[] offsets = nd.offsets();
            for (int t = 0; t < offsets.length; t++) {
                reduction.apply(out.data(), offsets[t], updates.data(), t * nd.slice(), nd.slice());
            }
            return new Tensor[] {out};
        };
    }
}
