package dev.nnzip.ops.tensor;

import dev.nnzip.ops.ExecContext;
import dev.nnzip.tensor.Tensor;

/**
 * Picks slices along one axis by an index table: {@code out[o, j, i] = in[o, map[j], i]} where {@code o} runs over the
 * axes before {@code axis} and {@code i} over the axes after it. Gather is this with the (flattened) indices as the table;
 * nearest-neighbour Resize and the edge/reflect/wrap modes of Pad are this with a computed table, one axis at a time.
 * Each slice is one {@link System#arraycopy} of the inner block, so embedding lookups and row gathers copy whole rows;
 * when the inner block is a single element, each outer row is one typed gather loop over the table.
 */
final class AxisGather {

    private AxisGather() {
    }

    /** {@code in} gathered along {@code axis} by {@code map} (entries already in {@code [0, in.dim(axis))}). */
    static Tensor gather(Tensor in, int axis, int[] map, ExecContext ctx) {
        int[] shape = in.shape();
        int outer = Args.product(shape, 0, axis);
        int inner = Args.product(shape, axis + 1, shape.length);
        int dim = shape[axis];
        int n = map.length;
        shape[axis] = n;
        Tensor out = Tensor.zeros(in.dtype(), shape);
        if (out.size() == 0) {
            return out;
        }
        Object src = in.data();
        Object dst = out.data();
        if (inner == 1) {
            Work.split(ctx, outer, n, (from, to) -> {
                for (int o = from; o < to; o++) {
                    ElementArrays.gather(src, o * dim, map, 0, dst, o * n, n);
                }
            });
            return out;
        }
        Work.split(ctx, outer * n, inner, (from, to) -> {
            int o = from / n;
            int j = from % n;
            for (int r = from; r < to; r++) {
                System.arraycopy(src, (o * dim + map[j]) * inner, dst, r * inner, inner);
                if (++j == n) {
                    j = 0;
                    o++;
                }
            }
        });
        return out;
    }
}
