package dev.nnzip.ops.nn;

import dev.nnzip.tensor.Shapes;
import java.util.Arrays;

/** Numpy-style broadcasting of a float array to a larger shape (the ONNX "multidirectional" rules). */
final class Broadcasting {
    private Broadcasting() {
    }

    /** {@code src} (shape {@code from}) repeated to shape {@code to}; {@code from} must broadcast to {@code to}. */
    static float[] expand(float[] src, int[] from, int[] to) {
        if (Arrays.equals(from, to)) {
            return src.clone();
        }
        int[] joined = Shapes.broadcast(from, to);
        if (!Arrays.equals(joined, to)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(from) + " cannot be broadcast to "
                    + Arrays.toString(to));
        }
        int rank = to.length;
        int[] srcStrides = new int[rank]; // 0 on broadcast axes
        int[] fs = Shapes.strides(from);
        for (int i = 0; i < from.length; i++) {
            int ax = rank - from.length + i;
            srcStrides[ax] = from[i] == 1 ? 0 : fs[i];
        }
        int n = Shapes.size(to);
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        int[] idx = new int[rank];
        int off = 0;
        for (int i = 0; i < n; i++) {
            out[i] = src[off];
            for (int ax = rank - 1; ax >= 0; ax--) { // odometer increment
                idx[ax]++;
                off += srcStrides[ax];
                if (idx[ax] < to[ax]) {
                    break;
                }
                off -= srcStrides[ax] * to[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }
}
