package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.RowGatheringKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Gather (opsets 1, 11, 13): {@code out[a…, j…, b…] = data[a…, indices[j…], b…]} along {@code axis} (default 0).
 * Indices are int32 or int64, may be negative (counted from the end, opset 11+) and of any rank; the output shape is
 * {@code data[:axis] + indices.shape + data[axis+1:]}. Works on every element type: each index copies one inner block.
 * On axis 0 the data can also come row by row ({@link RowGatheringKernel}): an embedding lookup on a compressed table
 * decodes only the rows it needs.
 */
final class Gather implements RowGatheringKernel {
    private final long axisAttr;

    private Gather(long axisAttr) {
        this.axisAttr = axisAttr;
    }

    static OpKernel create(Node node, int opset) {
        return new Gather(node.attributes().getInt("axis", 0));
    }

    @Override
    public Tensor[] run(Tensor[] in, ExecContext ctx) {
        Tensor data = Args.required(in, 0, "data");
        Tensor indices = indices(in);
        int axis = Args.axis(axisAttr, data.rank(), "Gather axis");
        int[] map = map(indices, data.dim(axis));
        return output(AxisGather.gather(data, axis, map, ctx), data.shape(), axis, indices);
    }

    @Override
    public int rowInput() {
        return 0;
    }

    @Override
    public Tensor[] runWithRows(Tensor[] in, Rows rows, ExecContext ctx) {
        int[] shape = rows.shape();
        int axis = Args.axis(axisAttr, shape.length, "Gather axis");
        if (axis != 0) {
            Tensor[] whole = in.clone();
            whole[0] = rows.all();
            return run(whole, ctx);
        }
        Tensor indices = indices(in);
        int[] map = map(indices, shape[0]);
        return output(rows.rows(map), shape, 0, indices);
    }

    private static Tensor indices(Tensor[] in) {
        Tensor indices = Args.required(in, 1, "indices");
        if (!indices.dtype().isInteger()) {
            throw new IllegalArgumentException("Gather indices must be int32 or int64, got " + indices.dtype());
        }
        return indices;
    }

    private static int[] map(Tensor indices, int dim) {
        long[] raw = indices.longs();
        int[] map = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            map[i] = Args.index(raw[i], dim, "Gather index");
        }
        return map;
    }

    private static Tensor[] output(Tensor gathered, int[] dataShape, int axis, Tensor indices) {
        int[] indShape = indices.shape();
        int[] outShape = new int[dataShape.length - 1 + indShape.length];
        System.arraycopy(dataShape, 0, outShape, 0, axis);
        System.arraycopy(indShape, 0, outShape, axis, indShape.length);
        System.arraycopy(dataShape, axis + 1, outShape, axis + indShape.length, dataShape.length - axis - 1);
        return new Tensor[] {gathered.reshape(outShape)};
    }
}
