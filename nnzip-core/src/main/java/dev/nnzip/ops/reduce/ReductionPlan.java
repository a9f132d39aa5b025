package dev.nnzip.ops.reduce;

import dev.nnzip.tensor.Shapes;
import java.util.Arrays;

/**
 * Which input elements each output element of a reduction combines. Output {@code k} reduces the input elements at
 * {@code base(k) + offset(r)} for {@code r < reduceCount()}; when all reduced axes come after all kept ones (the common
 * "reduce the last axes" case) the offsets are simply {@code 0..reduceCount-1} and the group is one contiguous run.
 */
final class ReductionPlan {
    private final int[] outShape;
    private final int[] bases;
    private final int[] offsets;
    private final int reduceCount;

    private ReductionPlan(int[] outShape, int[] bases, int[] offsets, int reduceCount) {
        this.outShape = outShape;
        this.bases = bases;
        this.offsets = offsets;
        this.reduceCount = reduceCount;
    }

    /** Plans reducing {@code shape} over the axes flagged in {@code reduced}. */
    static ReductionPlan of(int[] shape, boolean[] reduced, boolean keepDims) {
        int rank = shape.length;
        int[] strides = Shapes.strides(shape);
        int[] outShape = new int[rank];
        int outRank = 0;
        int keptCount = 1;
        int reduceCount = 1;
        boolean seenReduced = false;
        boolean contiguous = true;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                reduceCount *= shape[d];
                seenReduced |= shape[d] != 1;
                if (keepDims) {
                    outShape[outRank++] = 1;
                }
            } else {
                keptCount *= shape[d];
                contiguous &= !seenReduced || shape[d] == 1;
                outShape[outRank++] = shape[d];
            }
        }
        int[] bases = walk(shape, strides, reduced, false, keptCount);
        int[] offsets = contiguous ? null : walk(shape, strides, reduced, true, reduceCount);
        return new ReductionPlan(Arrays.copyOf(outShape, outRank), bases, offsets, reduceCount);
    }

    /** Offsets of every index combination over the axes with {@code reduced[d] == which}, in row-major order. */
    private static int[] walk(int[] shape, int[] strides, boolean[] reduced, boolean which, int count) {
        int[] out = new int[count];
        int rank = shape.length;
        int[] index = new int[rank];
        int offset = 0;
        for (int i = 0; i < count; i++) {
            out[i] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                if (reduced[d] != which) {
                    continue;
                }
                index[d]++;
                offset += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                offset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return out;
    }

    int[] outShape() {
        return outShape.clone();
    }

    int outCount() {
        return bases.length;
    }

    int reduceCount() {
        return reduceCount;
    }

    int base(int k) {
        return bases[k];
    }

    /** True when output k's elements are {@code base(k) .. base(k) + reduceCount - 1}. */
    boolean contiguous() {
        return offsets == null;
    }

    int offset(int r) {
        return offsets == null ? r : offsets[r];
    }
}
