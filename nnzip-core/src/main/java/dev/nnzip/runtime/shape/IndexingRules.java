package dev.nnzip.runtime.shape;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/**
 * Shape rules of the indexing and generating operators: Gather, GatherElements, GatherND, the scatters, OneHot, TopK,
 * NonZero (data-dependent: unknown unless its input is known), and Shape, Size, ConstantOfShape, Range, EyeLike, whose
 * outputs are shape logic (Shape and Size give their values too: they depend only on the input's shape).
 */
final class IndexingRules {
    private IndexingRules() {
    }

    static void register(ShapeRules r) {
        r.register("Gather", IndexingRules::gather);
        r.register("GatherElements", n -> new TensorType[] {TensorType.of(n.dtype(0), n.shape(1))});
        r.register("GatherND", IndexingRules::gatherNd);
        for (String op : new String[] {"ScatterND", "ScatterElements", "Scatter"}) {
            r.register(op, n -> new TensorType[] {n.input(0).withoutValue()});
        }
        r.register("OneHot", IndexingRules::oneHot);
        r.register("TopK", IndexingRules::topK);
        r.register("NonZero", n -> {
            throw new ShapeUnknownException(n.node().describe() + ": NonZero's output length is the number of "
                    + "non-zero elements of '" + n.node().inputs().get(0) + "', known only from its values");
        });
        r.register("Shape", IndexingRules::shapeOf);
        r.register("Size", n -> new TensorType[] {TensorType.constant(Tensor.wrap(DType.INT64, new int[0],
                new long[] {n.input(0).size()}))});
        r.register("ConstantOfShape", n -> {
            Tensor value = n.attributes().has("value") ? n.attributes().getTensor("value") : null;
            return new TensorType[] {TensorType.of(value == null ? DType.FLOAT : value.dtype(),
                    LayoutRules.dims(n, n.ints(0)))};
        });
        r.register("Range", IndexingRules::range);
        r.register("EyeLike", n -> new TensorType[] {TensorType.of(n.attributes().has("dtype")
                ? DType.fromOnnx((int) n.attributes().getInt("dtype", 1)) : n.dtype(0), n.shape(0))});
    }

    /** data[:axis] + indices.shape + data[axis+1:]. */
    private static TensorType[] gather(NodeShapes n) {
        int[] data = n.shape(0);
        int[] idx = n.shape(1);
        int axis = n.axis(n.attributes().getInt("axis", 0), data.length);
        int[] out = new int[data.length - 1 + idx.length];
        System.arraycopy(data, 0, out, 0, axis);
        System.arraycopy(idx, 0, out, axis, idx.length);
        System.arraycopy(data, axis + 1, out, axis + idx.length, data.length - axis - 1);
        return new TensorType[] {TensorType.of(n.dtype(0), out)};
    }

    /** indices.shape[:-1] + data.shape[batch_dims + indices.shape[-1]:]. */
    private static TensorType[] gatherNd(NodeShapes n) {
        int[] data = n.shape(0);
        int[] idx = n.shape(1);
        int b = (int) n.attributes().getInt("batch_dims", 0);
        if (idx.length < 1 || b + idx[idx.length - 1] > data.length) {
            throw n.mismatch("GatherND indices do not fit the data");
        }
        int last = idx[idx.length - 1];
        int[] out = new int[idx.length - 1 + data.length - b - last];
        System.arraycopy(idx, 0, out, 0, idx.length - 1);
        System.arraycopy(data, b + last, out, idx.length - 1, data.length - b - last);
        return new TensorType[] {TensorType.of(n.dtype(0), out)};
    }

    /** An axis of length depth inserted at axis (default -1, against the output's rank), of the values' type. */
    private static TensorType[] oneHot(NodeShapes n) {
        int[] idx = n.shape(0);
        long depth = (long) n.value(1).getDouble(0);
        int rank = idx.length + 1;
        int axis = n.axis(n.attributes().getInt("axis", -1), rank);
        int[] out = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            out[d] = d == axis ? Math.toIntExact(depth) : idx[k++];
        }
        return new TensorType[] {TensorType.of(n.dtype(2), out)};
    }

    /** Values and int64 Indices with the axis (default -1) cut to k (attribute before opset 10, input after). */
    private static TensorType[] topK(NodeShapes n) {
        int[] x = n.shape(0);
        int axis = n.axis(n.attributes().getInt("axis", -1), x.length);
        long k = n.opset() < 10 ? n.attributes().getInt("k", -1) : n.ints(1)[0];
        if (k < 0 || k > x[axis]) {
            throw n.mismatch("TopK k=" + k + " does not fit axis " + axis);
        }
        x[axis] = (int) k;
        return new TensorType[] {TensorType.of(n.dtype(0), x), TensorType.of(DType.INT64, x)};
    }

    /** The input's dims [start, end) (opset 15: negative bounds count from the end, then clamp to [0, rank]). */
    private static TensorType[] shapeOf(NodeShapes n) {
        int[] x = n.shape(0);
        int rank = x.length;
        long start = n.opset() >= 15 ? n.attributes().getInt("start", 0) : 0;
        long end = n.opset() >= 15 ? n.attributes().getInt("end", rank) : rank;
        start = Math.clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.clamp(end < 0 ? end + rank : end, 0, rank);
        long[] dims = new long[(int) Math.max(0, end - start)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = x[(int) start + i];
        }
        return new TensorType[] {TensorType.constant(Tensor.wrap(DType.INT64, new int[] {dims.length}, dims))};
    }

    /** max(ceil((limit - start) / delta), 0) elements of start's type. */
    private static TensorType[] range(NodeShapes n) {
        double start = n.value(0).getDouble(0);
        double limit = n.value(1).getDouble(0);
        double delta = n.value(2).getDouble(0);
        if (delta == 0) {
            throw n.mismatch("Range delta is 0");
        }
        long count = (long) Math.max(Math.ceil((limit - start) / delta), 0);
        return new TensorType[] {TensorType.of(n.dtype(0), Math.toIntExact(count))};
    }
}
