package dev.nnzip.ops.tensor;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import java.util.Arrays;

/**
 * Copies a strided view of one array into a strided region of another: for every multi-index {@code i} of {@code shape},
 * {@code dst[dstOffset + Σ i[d]·dstStrides[d]] = src[srcOffset + Σ i[d]·srcStrides[d]]}.
 *
 * <p>Transpose, Slice, Split, Concat, Expand (stride 0), Tile (a stride-0 "repeat" axis before each axis), constant Pad
 * and DepthToSpace/SpaceToDepth are all this one loop with different strides. Before looping, axes of size 1 are dropped
 * and neighbouring axes that are contiguous in both arrays are merged, so e.g. Transpose perm [0,2,1,3] (attention heads)
 * or a Slice/Concat along an outer axis become a few long {@link System#arraycopy} rows. The loop walks the outer axes
 * with an odometer (adding strides, never dividing), and when the innermost destination axis reads the source with a
 * large stride while another axis is the source's contiguous one (a 2-D transpose such as perm [0,1,3,2] or
 * NCHW→NHWC), it copies in square tiles so both arrays are read and written a cache line at a time.
 */
final class StridedCopy {
    /** Tile edge for the transposing path: 32×32 floats = 4 KiB, well inside L1 with its source cache lines. */
    private static final int TILE = 32;

    private StridedCopy() {
    }

    /** Copies the view into a new dense row-major destination starting at index 0. */
    static void gather(Object src, int srcOffset, int[] srcStrides, Object dst, int[] shape, ExecContext ctx) {
        copy(src, srcOffset, srcStrides, dst, 0, rowMajorStrides(shape), shape, ctx);
    }

    /**
     * Copies the view ({@code shape} read from {@code src} at {@code srcOffset} with {@code srcStrides}, which may be 0
     * or negative) into {@code dst} at {@code dstOffset} with {@code dstStrides}. Both arrays have the same storage kind.
     */
    static void copy(Object src, int srcOffset, int[] srcStrides, Object dst, int dstOffset, int[] dstStrides,
                     int[] shape, ExecContext ctx) {
        Layout l = Layout.simplify(shape, srcStrides, dstStrides);
        if (l == null) {
            return; // an empty view
        }
        int rank = l.shape.length;
        if (rank == 0) {
            ElementArrays.copyStrided(src, srcOffset, 1, dst, dstOffset, 1, 1);
            return;
        }
        int last = rank - 1;
        int tileAxis = -1;
        if (rank >= 2 && l.dst[last] == 1 && l.src[last] != 1 && l.shape[last] >= TILE) {
            for (int d = 0; d < last; d++) {
                if (l.src[d] == 1 && l.shape[d] >= TILE) {
                    tileAxis = d;
                }
            }
        }
        if (tileAxis >= 0) {
            copyTiled(src, srcOffset, dst, dstOffset, l, tileAxis, ctx);
        } else {
            copyRows(src, srcOffset, dst, dstOffset, l, ctx);
        }
    }

    /** One strided row of the innermost axis per odometer step over the outer axes. */
    private static void copyRows(Object src, int srcOffset, Object dst, int dstOffset, Layout l, ExecContext ctx) {
        int last = l.shape.length - 1;
        int n = l.shape[last];
        int ss = l.src[last];
        int ds = l.dst[last];
        int rows = product(l.shape, last);
        Parallel.RangeBody body = (from, to) -> {
            int[] idx = new int[last];
            int[] pos = start(l, last, from, srcOffset, dstOffset, idx);
            int sp = pos[0];
            int dp = pos[1];
            for (int r = from; r < to; r++) {
                ElementArrays.copyStrided(src, sp, ss, dst, dp, ds, n);
                // odometer over axes [0, last): add the stride of the axis that ticks, rewind the ones that wrap
                for (int d = last - 1; d >= 0; d--) {
                    sp += l.src[d];
                    dp += l.dst[d];
                    if (++idx[d] < l.shape[d]) {
                        break;
                    }
                    sp -= l.src[d] * l.shape[d];
                    dp -= l.dst[d] * l.shape[d];
                    idx[d] = 0;
                }
            }
        };
        Work.split(ctx, rows, n, body);
    }

    /**
     * The transposing case: the innermost destination axis {@code last} is strided in the source, and {@code t} is
     * contiguous in the source. Copies TILE×TILE blocks of the (t, last) plane so that the source cache lines of a block
     * are reused across its rows instead of being fetched once per element.
     */
    private static void copyTiled(Object src, int srcOffset, Object dst, int dstOffset, Layout l, int t,
                                  ExecContext ctx) {
        int rank = l.shape.length;
        int last = rank - 1;
        // outer axes = every axis but t and last, walked by an odometer
        int[] outerAxes = new int[rank - 2];
        for (int d = 0, k = 0; d < last; d++) {
            if (d != t) {
                outerAxes[k++] = d;
            }
        }
        Layout outer = l.select(outerAxes);
        int nt = l.shape[t];
        int nl = l.shape[last];
        int tBlocks = (nt + TILE - 1) / TILE;
        int outerCount = product(outer.shape, outer.shape.length);
        int srcStrideL = l.src[last];
        int dstStrideT = l.dst[t];
        Parallel.RangeBody body = (from, to) -> {
            int[] idx = new int[outer.shape.length];
            int[] pos = start(outer, outer.shape.length, from / tBlocks, srcOffset, dstOffset, idx);
            int sp = pos[0];
            int dp = pos[1];
            int tb = from % tBlocks;
            for (int task = from; task < to; task++) {
                int t0 = tb * TILE;
                int t1 = Math.min(nt, t0 + TILE);
                for (int l0 = 0; l0 < nl; l0 += TILE) {
                    int len = Math.min(TILE, nl - l0);
                    for (int i = t0; i < t1; i++) {
                        ElementArrays.copyStrided(src, sp + i + l0 * srcStrideL, srcStrideL,
                                dst, dp + i * dstStrideT + l0, 1, len);
                    }
                }
                if (++tb == tBlocks) {
                    tb = 0;
                    for (int d = outer.shape.length - 1; d >= 0; d--) {
                        sp += outer.src[d];
                        dp += outer.dst[d];
                        if (++idx[d] < outer.shape[d]) {
                            break;
                        }
                        sp -= outer.src[d] * outer.shape[d];
                        dp -= outer.dst[d] * outer.shape[d];
                        idx[d] = 0;
                    }
                }
            }
        };
        Work.split(ctx, outerCount * tBlocks, TILE * nl, body);
    }

    /** Positions the odometer at flat outer index {@code flat}: returns {src, dst} offsets and fills {@code idx}. */
    private static int[] start(Layout l, int axes, int flat, int srcOffset, int dstOffset, int[] idx) {
        int sp = srcOffset;
        int dp = dstOffset;
        for (int d = axes - 1; d >= 0; d--) {
            idx[d] = flat % l.shape[d];
            flat /= l.shape[d];
            sp += idx[d] * l.src[d];
            dp += idx[d] * l.dst[d];
        }
        return new int[] {sp, dp};
    }

    private static int product(int[] shape, int to) {
        int p = 1;
        for (int i = 0; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }

    static int[] rowMajorStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** A view's shape and both stride vectors after dropping size-1 axes and merging contiguous neighbours. */
    private record Layout(int[] shape, int[] src, int[] dst) {
        /** Null when the view is empty. */
        static Layout simplify(int[] shape, int[] srcStrides, int[] dstStrides) {
            int rank = shape.length;
            int[] sh = new int[rank];
            int[] ss = new int[rank];
            int[] ds = new int[rank];
            int n = 0;
            for (int d = 0; d < rank; d++) {
                if (shape[d] == 0) {
                    return null;
                }
                if (shape[d] == 1) {
                    continue;
                }
                // axis d-1 (now n-1) and d merge when stepping d-1 once equals stepping d across its whole extent
                if (n > 0 && ss[n - 1] == srcStrides[d] * shape[d] && ds[n - 1] == dstStrides[d] * shape[d]) {
                    sh[n - 1] *= shape[d];
                    ss[n - 1] = srcStrides[d];
                    ds[n - 1] = dstStrides[d];
                    continue;
                }
                sh[n] = shape[d];
                ss[n] = srcStrides[d];
                ds[n] = dstStrides[d];
                n++;
            }
            return new Layout(Arrays.copyOf(sh, n), Arrays.copyOf(ss, n),
                    Arrays.copyOf(ds, n));
        }

        Layout select(int[] axes) {
            int[] sh = new int[axes.length];
            int[] ss = new int[axes.length];
            int[] ds = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                sh[i] = shape[axes[i]];
                ss[i] = src[axes[i]];
                ds[i] = dst[axes[i]];
            }
            return new Layout(sh, ss, ds);
        }
    }
}
