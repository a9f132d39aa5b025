package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX EyeLike (opsets 9, 22): a 2-D tensor of the input's shape with ones on the diagonal {@code j - i = k} (attribute
 * {@code k}, default 0) and zeros elsewhere, of type {@code dtype} (default: the input's type).
 */
final class EyeLike {
    private EyeLike() {
    }

    static OpKernel create(Node node, int opset) {
        long k = node.attributes().getInt("k", 0);
        DType dtype = node.attributes().has("dtype") ? DType.fromOnnx((int) node.attributes().getInt("dtype", 1))
                : null;
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "input");
            if (x.rank() != 2) {
                throw new IllegalArgumentException("EyeLike needs a 2-D input, got " + Arrays.toString(x.shape()));
            }
            int rows = x.dim(0);
            int cols = x.dim(1);
            Tensor out = Tensor.zeros(dtype == null ? x.dtype() : dtype, rows, cols);
            for (int i = 0; i < rows; i++) {
                long j = i + k;
                if (j >= 0 && j < cols) {
                    int pos = i * cols + (int) j;
                    ElementArrays.fill(out.data(), pos, pos + 1, 1);
                }
            }
            return new Tensor[] {out};
        };
    }
}
