package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Concat (opsets 4, 11, 13): joins the inputs along {@code axis} (required; negative from opset 11). Every input
 * must have the same rank, element type and dimensions except along {@code axis}. Each input is one {@link StridedCopy}
 * into its slot of the output, which for an outer axis is a handful of contiguous block copies.
 */
final class Concat {
    private Concat() {
    }

    static OpKernel create(Node node, int opset) {
        if (!node.attributes().has("axis")) {
            throw new IllegalArgumentException("Concat needs the 'axis' attribute");
        }
        long axisAttr = node.attributes().getInt("axis", 0);
        return (in, ctx) -> {
            if (in.length == 0 || in[0] == null) {
                throw new IllegalArgumentException("Concat needs at least one input");
            }
            Tensor first = in[0];
            int rank = first.rank();
            int axis = Args.axis(axisAttr, rank, "Concat axis");
            int[] outShape = first.shape();
            long total = 0;
            for (int i = 0; i < in.length; i++) {
                Tensor t = Args.required(in, i, "inputs[" + i + "]");
                if (t.rank() != rank || t.dtype() != first.dtype()) {
                    throw mismatch(in, axis);
                }
                for (int d = 0; d < rank; d++) {
                    if (d != axis && t.dim(d) != outShape[d]) {
                        throw mismatch(in, axis);
                    }
                }
                total += t.dim(axis);
            }
            outShape[axis] = Math.toIntExact(total);
            Tensor out = ctx.zeros(first.dtype(), outShape);
            int[] outStrides = StridedCopy.rowMajorStrides(outShape);
            int offset = 0;
            for (Tensor t : in) {
                int[] shape = t.shape();
                StridedCopy.copy(t.data(), 0, StridedCopy.rowMajorStrides(shape), out.data(),
                        offset * outStrides[axis], outStrides, shape, ctx);
                offset += shape[axis];
            }
            return new Tensor[] {out};
        };
    }

    private static IllegalArgumentException mismatch(Tensor[] in, int axis) {
        StringBuilder sb = new StringBuilder("Concat along axis " + axis
                + " needs inputs of one element type and rank, equal in every other dimension; got");
        for (Tensor t : in) {
            sb.append(' ').append(t == null ? "absent" : t.dtype() + Arrays.toString(t.shape()));
        }
        return new IllegalArgumentException(sb.toString());
    }
}
