package dev.nnzip.ops.math;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.Shapes;
import java.util.Arrays;

/**
 * How the inputs of an elementwise op map onto its output under numpy (multidirectional) broadcasting, the rule the ONNX
 * spec uses for Add, Mul, Where, ... ("Broadcasting.md").
 *
 * <p>The output is walked as <em>segments</em>: maximal runs of consecutive output elements along which every input is
 * either contiguous (inner stride 1) or constant (inner stride 0). Dims of extent 1 are dropped and neighbouring dims
 * that every input walks the same way are merged first, so the common cases need no index arithmetic per element:
 * equal shapes become one segment, a scalar operand becomes one segment with stride 0, and a trailing broadcast such as
 * {@code [N,S,384] + [384]} becomes {@code N*S} segments of 384. Any other pattern still costs index work only once per
 * segment.
 */
public final class Broadcast {
    /** Receives one segment: output elements {@code [outOffset, outOffset + length)}. */
    @FunctionalInterface
    public interface Segment {
        /**
         * @param inOffsets start offset of the segment in each input (an array reused between calls: read, don't keep)
         */
        void run(int[] inOffsets, int outOffset, int length);
    }

    private final int[] shape;
    private final int size;
    private final int[] outerDims;
    private final int[][] outerStrides;
    private final int inner;
    private final int[] innerStrides;

    private Broadcast(int[] shape, int[] outerDims, int[][] outerStrides, int inner, int[] innerStrides) {
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.outerDims = outerDims;
        this.outerStrides = outerStrides;
        this.inner = inner;
        this.innerStrides = innerStrides;
    }

    /** Plans the broadcast of {@code shapes}; fails naming the shapes if they are incompatible. */
    public static Broadcast of(int[]... shapes) {
        int[] out = shapes[0];
        for (int i = 1; i < shapes.length; i++) {
            out = Shapes.broadcast(out, shapes[i]);
        }
        return to(out, shapes);
    }

    /**
     * Plans reading each of {@code shapes} broadcast to {@code out} (unidirectional broadcasting, as PRelu's slope or
     * LayerNormalization's scale use it); {@code out} must be what the shapes broadcast to, or larger.
     */
    public static Broadcast to(int[] out, int[]... shapes) {
        int rank = out.length;
        int k = shapes.length;
        int[][] strides = new int[k][];
        for (int j = 0; j < k; j++) {
            strides[j] = alignedStrides(shapes[j], out);
        }
        // Keep only dims of extent > 1, merging a dim into the previous one when every input steps through both as
        // one contiguous (or one constant) run.
        int[] dims = new int[rank];
        int[][] st = new int[k][rank];
        int n = 0;
        for (int d = 0; d < rank; d++) {
            if (out[d] == 1) {
                continue;
            }
            boolean merge = n > 0;
            for (int j = 0; merge && j < k; j++) {
                merge = st[j][n - 1] == strides[j][d] * out[d];
            }
            if (merge) {
                dims[n - 1] *= out[d];
                for (int j = 0; j < k; j++) {
                    st[j][n - 1] = strides[j][d];
                }
            } else {
                dims[n] = out[d];
                for (int j = 0; j < k; j++) {
                    st[j][n] = strides[j][d];
                }
                n++;
            }
        }
        int innerLen = n == 0 ? 1 : dims[n - 1];
        int[] innerStrides = new int[k];
        int[][] outerStrides = new int[k][];
        for (int j = 0; j < k; j++) {
            innerStrides[j] = n == 0 ? 0 : st[j][n - 1];
            outerStrides[j] = Arrays.copyOf(st[j], Math.max(0, n - 1));
        }
        return new Broadcast(out.clone(), Arrays.copyOf(dims, Math.max(0, n - 1)), outerStrides, innerLen,
                innerStrides);
    }

    /** Strides of {@code in} read as {@code out}: 0 along dims it broadcasts, its own row-major stride otherwise. */
    private static int[] alignedStrides(int[] in, int[] out) {
        int lead = out.length - in.length;
        if (lead < 0) {
            throw new IllegalArgumentException("shape " + Arrays.toString(in) + " cannot be broadcast to "
                    + Arrays.toString(out));
        }
        int[] own = Shapes.strides(in);
        int[] s = new int[out.length];
        for (int d = lead; d < out.length; d++) {
            int dim = in[d - lead];
            if (dim == out[d]) {
                s[d] = own[d - lead];
            } else if (dim != 1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(in) + " cannot be broadcast to "
                        + Arrays.toString(out) + " (dimension " + d + ": " + dim + " vs " + out[d] + ")");
            }
        }
        return s;
    }

    /** The broadcast output shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return size;
    }

    /** How input {@code j} advances along a segment: 1 (contiguous) or 0 (one repeated value). */
    public int innerStride(int j) {
        return innerStrides[j];
    }

    /** Visits the segments covering output elements {@code [from, to)} in order. */
    public void forEachSegment(int from, int to, Segment body) {
        if (from >= to) {
            return;
        }
        int k = innerStrides.length;
        int outerRank = outerDims.length;
        int run = from / inner;
        int pos = from % inner;
        int[] index = new int[outerRank];
        int[] base = new int[k];
        for (int d = outerRank - 1, r = run; d >= 0; d--) {
            index[d] = r % outerDims[d];
            r /= outerDims[d];
            for (int j = 0; j < k; j++) {
                base[j] += index[d] * outerStrides[j][d];
            }
        }
        int[] offsets = new int[k];
        int cur = from;
        while (true) {
            int length = Math.min(inner - pos, to - cur);
            for (int j = 0; j < k; j++) {
                offsets[j] = base[j] + pos * innerStrides[j];
            }
            body.run(offsets, cur, length);
            cur += length;
            if (cur >= to) {
                return;
            }
            pos = 0;
            // odometer step to the next run, updating each input's base offset incrementally
            for (int d = outerRank - 1; d >= 0; d--) {
                index[d]++;
                for (int j = 0; j < k; j++) {
                    base[j] += outerStrides[j][d];
                }
                if (index[d] < outerDims[d]) {
                    break;
                }
                for (int j = 0; j < k; j++) {
                    base[j] -= outerStrides[j][d] * outerDims[d];
                }
                index[d] = 0;
            }
        }
    }

    /** Visits every segment, splitting the output over {@code parallel}'s threads in chunks of at least minChunk. */
    public void forEachSegment(Parallel parallel, int minChunk, Segment body) {
        parallel.forRange(size, minChunk, (from, to) -> forEachSegment(from, to, body));
    }
}
