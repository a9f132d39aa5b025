package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.blocked.BlockedLayout;
import dev.nnzip.kernels.blocked.BlockedPooling;
import dev.nnzip.kernels.blocked.Reorder;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * The edges of a blocked region, as nnzip-private operators: {@code ReorderToBlocked} (attribute {@code block}:
 * {@code [N, C, d...]} → {@code [N, ceil(C/B), d..., B]}), {@code ReorderFromBlocked} (attribute {@code channels}:
 * back, padding dropped) and {@code BlockedGlobalAveragePool} (attribute {@code channels}: a blocked X →
 * {@code [N, C, 1, ..., 1]}, the plain result of GlobalAveragePool).
 */
final class BlockedLayoutOps {
    static final String BLOCK = "block";
    static final String CHANNELS = "channels";

    private BlockedLayoutOps() {
    }

    static OpKernel toBlocked(Node node) {
        int block = positive(node.attributes().getInt(BLOCK, 0), BLOCK);
        return (inputs, ctx) -> {
            Tensor x = Operands.require(inputs[0], "ReorderToBlocked", "X");
            float[] xd = Operands.floats(x, "ReorderToBlocked", "X");
            int[] xs = x.shape();
            if (xs.length < 3) {
                throw new IllegalArgumentException("ReorderToBlocked: X must be [N, C, D1..Dn], got "
                        + Arrays.toString(xs));
            }
            Tensor y = ctx.uninitialized(x.dtype(), BlockedLayout.blockedShape(xs, block));
            Reorder.toBlocked(xd, xs[0], xs[1], plane(xs, 2, xs.length), block, y.floats(), ctx.parallel());
            return new Tensor[] {y};
        };
    }

    static OpKernel fromBlocked(Node node) {
        int channels = positive(node.attributes().getInt(CHANNELS, 0), CHANNELS);
        return (inputs, ctx) -> {
            Tensor x = Operands.require(inputs[0], "ReorderFromBlocked", "X");
            int[] xs = blocked(x, channels, "ReorderFromBlocked");
            Tensor y = ctx.uninitialized(x.dtype(), BlockedLayout.plainShape(xs, channels));
            Reorder.fromBlocked(x.floats(), xs[0], channels, plane(xs, 2, xs.length - 1), xs[xs.length - 1],
                    y.floats(), ctx.parallel());
            return new Tensor[] {y};
        };
    }

    static OpKernel globalAveragePool(Node node) {
        int channels = positive(node.attributes().getInt(CHANNELS, 0), CHANNELS);
        return (inputs, ctx) -> {
            Tensor x = Operands.require(inputs[0], "BlockedGlobalAveragePool", "X");
            int[] xs = blocked(x, channels, "BlockedGlobalAveragePool");
            int[] ys = new int[xs.length - 1];
            Arrays.fill(ys, 1);
            ys[0] = xs[0];
            ys[1] = channels;
            Tensor y = ctx.uninitialized(x.dtype(), ys);
            BlockedPooling.globalAverage(x.floats(), xs[0], channels, plane(xs, 2, xs.length - 1),
                    xs[xs.length - 1], y.floats(), ctx.parallel());
            return new Tensor[] {y};
        };
    }

    private static int[] blocked(Tensor x, int channels, String op) {
        Operands.floats(x, op, "X");
        int[] xs = x.shape();
        if (xs.length < 4 || BlockedLayout.blocks(channels, xs[xs.length - 1]) != xs[1]) {
            throw new IllegalArgumentException(op + ": X " + Arrays.toString(xs) + " is not a blocked tensor of "
                    + channels + " channels");
        }
        return xs;
    }

    private static int plane(int[] s, int from, int to) {
        return Shapes.size(Arrays.copyOfRange(s, from, to));
    }

    private static int positive(long v, String attr) {
        if (v < 1 || v > 1 << 16) {
            throw new IllegalArgumentException("attribute " + attr + " must be a positive int, got " + v);
        }
        return (int) v;
    }
}
