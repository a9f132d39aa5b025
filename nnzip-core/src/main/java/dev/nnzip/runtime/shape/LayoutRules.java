package dev.nnzip.runtime.shape;

import dev.nnzip.ops.tensor.TensorShapes;
import java.util.Arrays;

/**
 * Shape rules of the operators that move elements without computing on them: Reshape, Flatten, Squeeze, Unsqueeze,
 * Transpose, Concat, Split, Slice, Expand, Tile, Pad, DepthToSpace/SpaceToDepth. Arguments that were attributes in
 * early opsets and inputs later (axes, split, pads) are read from where the node's opset puts them; argument inputs
 * must be known before running (constants or shape logic), else the shape is unknown.
 */
final class LayoutRules {
    private LayoutRules() {
    }

    static void register(ShapeRules r) {
        r.register("Reshape", n -> same(n, guard(n, () -> TensorShapes.reshape(n.shape(0), n.ints(1),
                n.attributes().getInt("allowzero", 0) != 0))));
        r.register("Flatten", LayoutRules::flatten);
        r.register("Squeeze", LayoutRules::squeeze);
        r.register("Unsqueeze", LayoutRules::unsqueeze);
        r.register("Transpose", LayoutRules::transpose);
        r.register("Concat", LayoutRules::concat);
        r.register("Split", LayoutRules::split);
        r.register("Slice", LayoutRules::slice);
        r.register("Expand", n -> same(n, ElementwiseRules.broadcast(n, n.shape(0), dims(n, n.ints(1)))));
        r.register("Tile", LayoutRules::tile);
        r.register("Pad", LayoutRules::pad);
        r.register("DepthToSpace", n -> depthSpace(n, true));
        r.register("SpaceToDepth", n -> depthSpace(n, false));
    }

    /** One output of input 0's type with {@code shape}. */
    static TensorType[] same(NodeShapes n, int[] shape) {
        return new TensorType[] {TensorType.of(n.dtype(0), shape)};
    }

    static int[] guard(NodeShapes n, java.util.function.Supplier<int[]> rule) {
        try {
            return rule.get();
        } catch (IllegalArgumentException e) {
            throw n.mismatch(e.getMessage());
        }
    }

    static int[] dims(NodeShapes n, long[] values) {
        int[] d = new int[values.length];
        for (int i = 0; i < d.length; i++) {
            if (values[i] < 0 || values[i] > Integer.MAX_VALUE) {
                throw n.mismatch("dimension " + values[i] + " is not a size");
            }
            d[i] = (int) values[i];
        }
        return d;
    }

    private static int product(int[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= s[i];
        }
        return Math.toIntExact(p);
    }

    /** [prod(dims[:axis]), prod(dims[axis:])]; axis may equal the rank. */
    private static TensorType[] flatten(NodeShapes n) {
        int[] x = n.shape(0);
        long axis = n.attributes().getInt("axis", 1);
        int a = (int) (axis < 0 ? axis + x.length : axis);
        if (a < 0 || a > x.length) {
            throw n.mismatch("Flatten axis " + axis + " is outside [-rank, rank]");
        }
        return same(n, new int[] {product(x, 0, a), product(x, a, x.length)});
    }

    /** Axes from the attribute before opset 13, the optional second input after; none: every 1 goes. */
    private static long[] axesArgument(NodeShapes n) {
        return n.opset() < 13 ? n.attributes().getInts("axes", null) : n.intsOrNull(1);
    }

    private static TensorType[] squeeze(NodeShapes n) {
        int[] x = n.shape(0);
        long[] axes = axesArgument(n);
        boolean[] drop = new boolean[x.length];
        if (axes == null) {
            for (int i = 0; i < x.length; i++) {
                drop[i] = x[i] == 1;
            }
        } else {
            for (long a : axes) {
                int i = n.axis(a, x.length);
                if (x[i] != 1) {
                    throw n.mismatch("Squeeze axis " + a + " has size " + x[i]);
                }
                drop[i] = true;
            }
        }
        return same(n, keep(x, drop));
    }

    private static int[] keep(int[] x, boolean[] drop) {
        return java.util.stream.IntStream.range(0, x.length).filter(i -> !drop[i]).map(i -> x[i]).toArray();
    }

    /** Axes index the output, whose rank is the input's plus the number of axes. */
    private static TensorType[] unsqueeze(NodeShapes n) {
        int[] x = n.shape(0);
        long[] axes = axesArgument(n);
        if (axes == null) {
            throw n.mismatch("Unsqueeze needs axes");
        }
        int rank = x.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int i = n.axis(a, rank);
            if (inserted[i]) {
                throw n.mismatch("Unsqueeze axes " + Arrays.toString(axes) + " repeat axis " + i);
            }
            inserted[i] = true;
        }
        int[] out = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : x[j++];
        }
        return same(n, out);
    }

    /** Output axis i is input axis perm[i]; the default perm reverses the axes. */
    private static TensorType[] transpose(NodeShapes n) {
        int[] x = n.shape(0);
        int[] p = permutation(n);
        int[] out = new int[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[p[i]];
        }
        return same(n, out);
    }

    /** Transpose's permutation, validated against the input's rank. */
    static int[] permutation(NodeShapes n) {
        int rank = n.rank(0);
        long[] perm = n.attributes().getInts("perm", null);
        int[] p = new int[rank];
        if (perm == null) {
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return p;
        }
        if (perm.length != rank) {
            throw n.mismatch("Transpose perm " + Arrays.toString(perm) + " does not match rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = n.axis(perm[i], rank);
            if (seen[p[i]]) {
                throw n.mismatch("Transpose perm " + Arrays.toString(perm) + " is not a permutation");
            }
            seen[p[i]] = true;
        }
        return p;
    }

    private static TensorType[] concat(NodeShapes n) {
        int[] out = null;
        int axis = 0;
        for (int i = 0; i < n.inputCount(); i++) {
            if (!n.has(i)) {
                continue;
            }
            int[] s = n.shape(i);
            if (out == null) {
                out = s;
                axis = n.axis(n.attributes().getInt("axis", 0), s.length);
                continue;
            }
            if (s.length != out.length) {
                throw n.mismatch("Concat inputs differ in rank");
            }
            for (int d = 0; d < s.length; d++) {
                if (d == axis) {
                    out[d] += s[d];
                } else if (s[d] != out[d]) {
                    throw n.mismatch("Concat inputs differ in dimension " + d);
                }
            }
        }
        if (out == null) {
            throw n.mismatch("Concat needs an input");
        }
        return same(n, out);
    }

    private static TensorType[] split(NodeShapes n) {
        int[] x = n.shape(0);
        int axis = n.axis(n.attributes().getInt("axis", 0), x.length);
        long[] split = n.opset() < 13 ? n.attributes().getInts("split", null) : n.intsOrNull(1);
        int outputs = n.outputCount();
        int[] sizes = guard(n, () -> TensorShapes.split(x, axis, split, outputs, n.opset() >= 18));
        TensorType[] out = new TensorType[outputs];
        for (int i = 0; i < outputs; i++) {
            int[] s = x.clone();
            s[axis] = sizes[i];
            out[i] = TensorType.of(n.dtype(0), s);
        }
        return out;
    }

    /**
     * Slice (ONNX Slice-13): per listed axis, negative starts/ends count from the end, then are clamped to
     * [0, dim] for a positive step and [-1, dim-1] for a negative one; the count is ceil((end - start) / step), at
     * least 0. Before opset 10 starts/ends/axes are attributes and the step is 1.
     */
    private static TensorType[] slice(NodeShapes n) {
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (n.opset() < 10) {
            starts = n.attributes().getInts("starts", new long[0]);
            ends = n.attributes().getInts("ends", new long[0]);
            axes = n.attributes().getInts("axes", null);
        } else {
            starts = n.ints(1);
            ends = n.ints(2);
            axes = n.intsOrNull(3);
            steps = n.intsOrNull(4);
        }
        int[] x = n.shape(0);
        int[] out = x.clone();
        if (ends.length != starts.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length) || (axes == null && starts.length > x.length)) {
            throw n.mismatch("Slice starts, ends, axes and steps do not match");
        }
        for (int i = 0; i < starts.length; i++) {
            int axis = axes == null ? i : n.axis(axes[i], x.length);
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw n.mismatch("Slice step is 0");
            }
            long dim = x[axis];
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            long count;
            if (step > 0) {
                start = Math.clamp(start, 0, dim);
                end = Math.clamp(end, 0, dim);
                count = end > start ? (end - start + step - 1) / step : 0;
            } else {
                start = Math.clamp(start, 0, Math.max(dim - 1, 0));
                end = Math.clamp(end, -1, dim - 1);
                count = start > end ? (start - end - step - 1) / -step : 0;
            }
            out[axis] = (int) count;
        }
        return same(n, out);
    }

    private static TensorType[] tile(NodeShapes n) {
        int[] x = n.shape(0);
        long[] repeats = n.ints(1);
        if (repeats.length != x.length) {
            throw n.mismatch("Tile repeats " + Arrays.toString(repeats) + " do not match rank " + x.length);
        }
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.toIntExact(x[i] * repeats[i]);
        }
        return same(n, out);
    }

    /** Pads as an attribute before opset 11, an input after; from opset 18 an optional axes input lists the axes. */
    private static TensorType[] pad(NodeShapes n) {
        int[] x = n.shape(0);
        long[] pads = n.opset() < 11 ? n.attributes().getInts("pads", null) : n.ints(1);
        long[] axes = n.opset() >= 18 ? n.intsOrNull(3) : null;
        int count = axes == null ? x.length : axes.length;
        if (pads == null || pads.length != 2 * count) {
            throw n.mismatch("Pad pads " + Arrays.toString(pads) + " need 2 × " + count + " entries");
        }
        int[] out = x.clone();
        for (int i = 0; i < count; i++) {
            int d = axes == null ? i : n.axis(axes[i], x.length);
            out[d] = Math.toIntExact(x[d] + pads[i] + pads[i + count]);
            if (out[d] < 0) {
                throw n.mismatch("Pad crops axis " + d + " below zero");
            }
        }
        return same(n, out);
    }

    private static TensorType[] depthSpace(NodeShapes n, boolean toSpace) {
        int[] x = n.shape(0);
        int b = Math.toIntExact(n.attributes().getInt("blocksize", 0));
        if (x.length != 4 || b < 1) {
            throw n.mismatch(n.node().opType() + " needs a 4-D input and a positive blocksize");
        }
        return same(n, toSpace ? new int[] {x[0], x[1] / (b * b), x[2] * b, x[3] * b}
                : new int[] {x[0], x[1] * b * b, x[2] / b, x[3] / b});
    }
}
