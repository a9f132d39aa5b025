package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Pad. Opsets 2..10: attributes {@code pads}, {@code mode}, {@code value}. Opsets 11, 13: inputs {@code pads}
 * (int64, {@code [begin_0, …, begin_n, end_0, …, end_n]}) and optional {@code constant_value}; opset 18 adds the
 * optional {@code axes} input that {@code pads} then refers to; opset 19 adds mode {@code wrap}.
 *
 * <p>Negative pads crop; the positive ones then pad what is left: output position {@code o} along an axis reads
 * coordinate {@code x = o - begin} of the cropped axis (length {@code n}). Inside {@code [0, n)} that is the input
 * element; outside, {@code constant} writes the constant, {@code edge} clamps {@code x}, {@code reflect} mirrors it
 * about the edges without repeating the edge element (repeatedly, as numpy's reflect does when the pad is longer than
 * the axis), and {@code wrap} takes it modulo {@code n}. (The ONNX reference is numpy.pad, which has no negative pads;
 * crop-then-pad is ONNX Runtime's reading.)
 */
final class Pad {
    enum Mode { CONSTANT, REFLECT, EDGE, WRAP }

    private Pad() {
    }

    static OpKernel create(Node node, int opset) {
        var a = node.attributes();
        Mode mode = parseMode(a.getString("mode", "constant"));
        if (opset < 11) {
            long[] pads = a.getInts("pads", null);
            if (pads == null) {
                throw new IllegalArgumentException("Pad before opset 11 needs the 'pads' attribute");
            }
            float value = a.getFloat("value", 0f);
            return (in, ctx) -> {
                Tensor x = Args.required(in, 0, "data");
                return new Tensor[] {pad(x, pads, null, mode, ElementArrays.scalarOf(x.dtype(), value), ctx)};
            };
        }
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "data");
            long[] pads = Args.ints(Args.required(in, 1, "pads"), "pads");
            Tensor cv = Args.optional(in, 2);
            Tensor axesT = opset >= 18 ? Args.optional(in, 3) : null;
            if (cv != null && cv.size() > 0 && cv.dtype() != x.dtype()) {
                throw new IllegalArgumentException("Pad constant_value is " + cv.dtype() + " but the data is "
                        + x.dtype());
            }
            Tensor value = cv == null || cv.size() == 0 ? ElementArrays.scalarOf(x.dtype(), 0) : cv;
            long[] axes = axesT == null ? null : Args.ints(axesT, "axes");
            return new Tensor[] {pad(x, pads, axes, mode, value, ctx)};
        };
    }

    private static Mode parseMode(String mode) {
        return switch (mode) {
            case "constant" -> Mode.CONSTANT;
            case "reflect" -> Mode.REFLECT;
            case "edge" -> Mode.EDGE;
            case "wrap" -> Mode.WRAP;
            default -> throw new IllegalArgumentException("Pad mode '" + mode
                    + "' is not one of [constant, reflect, edge, wrap]");
        };
    }

    /** Pads {@code x}; {@code value} (element 0) is the constant for mode constant. */
    static Tensor pad(Tensor x, long[] pads, long[] axes, Mode mode, Tensor value, ExecContext ctx) {
        int rank = x.rank();
        int[] ax = axes == null ? null : Args.axes(axes, rank, "Pad axes");
        int n = ax == null ? rank : ax.length;
        if (pads.length != 2 * n) {
            throw new IllegalArgumentException("Pad pads " + Arrays.toString(pads) + " must have 2 × " + n
                    + " entries for the input " + Arrays.toString(x.shape())
                    + (ax == null ? "" : " and axes " + Arrays.toString(axes)));
        }
        int[] shape = x.shape();
        int[] begin = new int[rank];
        int[] end = new int[rank];
        int[] outShape = shape.clone();
        for (int i = 0; i < n; i++) {
            int d = ax == null ? i : ax[i];
            begin[d] = Math.toIntExact(pads[i]);
            end[d] = Math.toIntExact(pads[i + n]);
            long size = (long) shape[d] + begin[d] + end[d];
            if (size < 0) {
                throw new IllegalArgumentException("Pad pads " + Arrays.toString(pads) + " crop axis " + d + " of "
                        + Arrays.toString(shape) + " below zero");
            }
            outShape[d] = Math.toIntExact(size);
        }
        return mode == Mode.CONSTANT ? padConstant(x, begin, outShape, value, ctx)
                : padByIndex(x, begin, end, outShape, mode, ctx);
    }

    private static Tensor padConstant(Tensor x, int[] begin, int[] outShape, Tensor value, ExecContext ctx) {
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        ElementArrays.fill(out.data(), 0, out.size(), value, 0);
        int[] shape = x.shape();
        int[] inStrides = StridedCopy.rowMajorStrides(shape);
        int[] outStrides = StridedCopy.rowMajorStrides(outShape);
        int[] region = new int[shape.length];
        int srcOffset = 0;
        int dstOffset = 0;
        for (int d = 0; d < shape.length; d++) {
            int from = Math.max(0, -begin[d]); // first input coordinate that lands in the output
            int to = Math.min(shape[d], outShape[d] - begin[d]);
            if (to <= from) {
                return out; // the input is cropped away entirely
            }
            region[d] = to - from;
            srcOffset += from * inStrides[d];
            dstOffset += (from + begin[d]) * outStrides[d];
        }
        StridedCopy.copy(x.data(), srcOffset, inStrides, out.data(), dstOffset, outStrides, region, ctx);
        return out;
    }

    /**
     * Edge, reflect and wrap: one index-table gather per padded axis. Negative pads crop first and the positive ones
     * then pad what is left (so wrap and reflect repeat the cropped content), as ONNX Runtime does.
     */
    private static Tensor padByIndex(Tensor x, int[] begin, int[] end, int[] outShape, Mode mode, ExecContext ctx) {
        Tensor cur = x;
        for (int d = 0; d < outShape.length; d++) {
            int dim = x.dim(d);
            if (begin[d] == 0 && end[d] == 0) {
                continue;
            }
            int cropBegin = Math.max(0, -begin[d]);
            int kept = dim - cropBegin - Math.max(0, -end[d]);
            int padBegin = Math.max(0, begin[d]);
            if (kept <= 0 && outShape[d] > 0) {
                throw new IllegalArgumentException("Pad mode " + mode.name().toLowerCase() + " cannot pad axis " + d
                        + " of " + Arrays.toString(x.shape()) + ": nothing is left of it to repeat");
            }
            int[] map = new int[outShape[d]];
            for (int o = 0; o < map.length; o++) {
                map[o] = cropBegin + source(o - padBegin, kept, mode);
            }
            cur = AxisGather.gather(cur, d, map, ctx);
        }
        return cur;
    }

    /** The input coordinate that output coordinate {@code x} (in input terms) reads under {@code mode}. */
    static int source(int x, int dim, Mode mode) {
        if (x >= 0 && x < dim) {
            return x;
        }
        return switch (mode) {
            case EDGE -> x < 0 ? 0 : dim - 1;
            case WRAP -> Math.floorMod(x, dim);
            case REFLECT -> {
                if (dim == 1) {
                    yield 0;
                }
                int period = 2 * (dim - 1);
                int m = Math.floorMod(x, period);
                yield m < dim ? m : period - m;
            }
            case CONSTANT -> throw new IllegalStateException("constant padding has no source index");
        };
    }
}
