package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Trilu (opset 14): keeps the upper ({@code upper=1}, default) or lower triangle of each trailing {@code [N, M]}
 * matrix and zeroes the rest. With diagonal offset {@code k} (optional scalar input, default 0) the upper triangle is
 * {@code j - i >= k} and the lower {@code j - i <= k}.
 */
final class Trilu {
    private Trilu() {
    }

    static OpKernel create(Node node, int opset) {
        boolean upper = node.attributes().getInt("upper", 1) != 0;
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "input");
            Tensor kT = Args.optional(in, 1);
            long k = kT == null ? 0 : Args.scalarInt(kT, "k");
            if (x.rank() < 2) {
                throw new IllegalArgumentException("Trilu needs a tensor of rank >= 2, got " + Arrays.toString(x.shape()));
            }
            int rows = x.dim(x.rank() - 2);
            int cols = x.dim(x.rank() - 1);
            Tensor out = x.copy();
            int matrices = rows * cols == 0 ? 0 : x.size() / (rows * cols);
            for (int m = 0; m < matrices; m++) {
                for (int i = 0; i < rows; i++) {
                    // columns [from, to) of row i are zeroed
                    long from = upper ? 0 : Math.max(0, i + k + 1);
                    long to = upper ? Math.min(cols, Math.max(0, i + k)) : cols;
                    if (from < to) {
                        int base = (m * rows + i) * cols;
                        ElementArrays.fill(out.data(), base + (int) from, base + (int) to, 0);
                    }
                }
            }
            return new Tensor[] {out};
        };
    }
}
