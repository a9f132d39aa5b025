package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Shape (opsets 1, 13, 15, 19, 21): the input's dimensions as an int64 vector. From opset 15, {@code start}
 * (default 0) and {@code end} (default rank) select a range of them; negative values count from the end and both are
 * clamped to {@code [0, rank]}.
 */
final class ShapeOf {
    private ShapeOf() {
    }

    static OpKernel create(Node node, int opset) {
        long start = opset >= 15 ? node.attributes().getInt("start", 0) : 0;
        Long end = opset >= 15 && node.attributes().has("end") ? node.attributes().getInt("end", 0) : null;
        return (in, ctx) -> {
            int[] shape = Args.required(in, 0, "data").shape();
            int r = shape.length;
            int from = clampAxis(start, r);
            int to = end == null ? r : clampAxis(end, r);
            long[] out = new long[Math.max(0, to - from)];
            for (int i = 0; i < out.length; i++) {
                out[i] = shape[from + i];
            }
            return new Tensor[] {Tensor.vector(out)};
        };
    }

    private static int clampAxis(long a, int rank) {
        long v = a < 0 ? a + rank : a;
        return (int) Math.max(0, Math.min(rank, v));
    }
}
