package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX NonZero (opsets 9, 13): the coordinates of the non-zero elements, as an int64 tensor {@code [rank, count]} in
 * row-major order (numpy's {@code np.nonzero} stacked). A scalar is treated as a 1-element vector, as numpy does.
 */
final class NonZero {
    private NonZero() {
    }

    static OpKernel create(Node node, int opset) {
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "X");
            int[] shape = x.rank() == 0 ? new int[] {1} : x.shape();
            int rank = shape.length;
            int n = x.size();
            boolean[] nz = new boolean[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                nz[i] = switch (x.data()) {
                    case String[] s -> !s[i].isEmpty();
                    default -> x.getDouble(i) != 0;
                };
                count += nz[i] ? 1 : 0;
            }
            long[] out = new long[rank * count];
            int[] idx = new int[rank];
            for (int i = 0, k = 0; i < n; i++) {
                if (nz[i]) {
                    for (int d = 0; d < rank; d++) {
                        out[d * count + k] = idx[d];
                    }
                    k++;
                }
                for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
                    idx[d] = 0;
                }
            }
            return new Tensor[] {Tensor.of(out, rank, count)};
        };
    }
}
