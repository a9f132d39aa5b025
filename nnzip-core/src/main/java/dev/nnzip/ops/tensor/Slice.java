package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Slice. Opset 1: {@code starts}, {@code ends}, {@code axes} attributes. Opsets 10, 11, 13: inputs {@code starts},
 * {@code ends}, optional {@code axes} and {@code steps} (negative steps walk backwards). Per the spec, negative starts and
 * ends count from the end of the axis, then are clamped to {@code [0, dim]} for positive steps and to
 * {@code [0, dim-1]} (start) / {@code [-1, dim-1]} (end) for negative steps; the output has
 * {@code max(0, ceil((end - start) / step))} elements along the axis. (This is numpy's slicing except in one corner the
 * spec text decides differently: a start below {@code -dim} with a negative step selects element 0, as ONNX Runtime
 * does, where numpy selects nothing.) The copy is a strided view of the input, so slices along outer axes are
 * contiguous block copies.
 */
final class Slice {
    private Slice() {
    }

    static OpKernel create(Node node, int opset) {
        if (opset < 10) {
            var a = node.attributes();
            long[] starts = a.getInts("starts", null);
            long[] ends = a.getInts("ends", null);
            if (starts == null || ends == null) {
                throw new IllegalArgumentException("Slice before opset 10 needs the 'starts' and 'ends' attributes");
            }
            long[] axes = a.getInts("axes", null);
            return (in, ctx) -> new Tensor[] {slice(Args.required(in, 0, "data"), starts, ends, axes, null, ctx)};
        }
        return (in, ctx) -> {
            Tensor axes = Args.optional(in, 3);
            Tensor steps = Args.optional(in, 4);
            return new Tensor[] {slice(Args.required(in, 0, "data"),
                    Args.ints(Args.required(in, 1, "starts"), "starts"),
                    Args.ints(Args.required(in, 2, "ends"), "ends"),
                    axes == null ? null : Args.ints(axes, "axes"),
                    steps == null ? null : Args.ints(steps, "steps"), ctx)};
        };
    }

    static Tensor slice(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps, ExecContext ctx) {
        int rank = x.rank();
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            throw new IllegalArgumentException("Slice starts " + Arrays.toString(starts) + ", ends "
                    + Arrays.toString(ends) + ", axes " + Arrays.toString(axes) + " and steps "
                    + Arrays.toString(steps) + " must have the same length");
        }
        int[] ax = axes == null ? null : Args.axes(axes, rank, "Slice axes");
        if (ax == null && n > rank) {
            throw new IllegalArgumentException("Slice has " + n + " starts for a rank-" + rank + " input");
        }
        int[] shape = x.shape();
        int[] inStrides = StridedCopy.rowMajorStrides(shape);
        int[] outShape = shape.clone();
        int[] srcStrides = inStrides.clone();
        int offset = 0;
        for (int i = 0; i < n; i++) {
            int axis = ax == null ? i : ax[i];
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new IllegalArgumentException("Slice step for axis " + axis + " is 0");
            }
            long dim = shape[axis];
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            long count;
            if (step > 0) {
                start = clamp(start, 0, dim);
                end = clamp(end, 0, dim);
                count = end > start ? (end - start + step - 1) / step : 0;
            } else {
                start = clamp(start, 0, dim - 1);
                end = clamp(end, -1, dim - 1);
                count = start > end ? (start - end + (-step) - 1) / (-step) : 0;
            }
            outShape[axis] = (int) count;
            if (count > 0) {
                offset += (int) start * inStrides[axis];
                // a step larger than the axis only ever takes one element; keep the stride in int range
                srcStrides[axis] = count == 1 ? inStrides[axis] : Math.toIntExact(step * inStrides[axis]);
            }
        }
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        StridedCopy.gather(x.data(), offset, srcStrides, out.data(), outShape, ctx);
        return out;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
