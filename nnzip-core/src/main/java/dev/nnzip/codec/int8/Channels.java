package dev.nnzip.codec.int8;

import java.util.Arrays;

/**
 * Which output channel each value of a row-major tensor belongs to: channel {@code (i / inner) % count}, with
 * {@code count} the size of the channel axis and {@code inner} the product of the dimensions after it. Rank 0 and 1
 * tensors (biases, the flat kept values of a pruned layer) form one channel: a scale per value would cost more than the
 * value.
 */
record Channels(int count, int inner) {
    static Channels of(int[] shape, int axis) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (shape.length < 2 || n == 0) {
            return new Channels(1, Math.max(1, n));
        }
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("int8: channel axis " + axis + " is outside shape "
                    + Arrays.toString(shape));
        }
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return new Channels(shape[a], inner);
    }

    int of(int index) {
        return (index / inner) % count;
    }
}
