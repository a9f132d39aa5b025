package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Transpose (opsets 1, 13, 21): output axis {@code i} is input axis {@code perm[i]}; {@code perm} defaults to the
 * reversed axes. The copy is a {@link StridedCopy} of the input read with permuted strides, which merges axes that stay
 * adjacent (perm [0,2,1,3] copies whole rows of the last axis) and tiles true 2-D transposes.
 */
final class Transpose {
    private Transpose() {
    }

    static OpKernel create(Node node, int opset) {
        long[] perm = node.attributes().getInts("perm", null);
        return (in, ctx) -> new Tensor[] {transpose(Args.required(in, 0, "data"), perm, ctx)};
    }

    /** {@code x} transposed by {@code perm} (null = reverse the axes). */
    static Tensor transpose(Tensor x, long[] perm, ExecContext ctx) {
        int rank = x.rank();
        int[] p = new int[rank];
        if (perm == null) {
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
        } else {
            if (perm.length != rank) {
                throw new IllegalArgumentException("Transpose perm " + Arrays.toString(perm) + " has " + perm.length
                        + " entries but the input " + Arrays.toString(x.shape()) + " has rank " + rank);
            }
            p = Args.axes(perm, rank, "Transpose perm");
        }
        return permute(x, p, ctx);
    }

    /** {@code x} with output axis {@code i} taken from input axis {@code p[i]} ({@code p} a valid permutation). */
    static Tensor permute(Tensor x, int[] p, ExecContext ctx) {
        int[] inShape = x.shape();
        int[] inStrides = StridedCopy.rowMajorStrides(inShape);
        int[] outShape = new int[p.length];
        int[] srcStrides = new int[p.length];
        boolean identity = true;
        for (int i = 0; i < p.length; i++) {
            outShape[i] = inShape[p[i]];
            srcStrides[i] = inStrides[p[i]];
            identity &= p[i] == i;
        }
        if (identity) {
            return x;
        }
        Tensor out = ctx.zeros(x.dtype(), outShape);
        StridedCopy.gather(x.data(), 0, srcStrides, out.data(), outShape, ctx);
        return out;
    }
}
