package dev.nnzip.eval;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/** Top-1 predictions from a [n, classes] score tensor. */
public final class Top1 {
    private Top1() {
    }

    /**
     * The index of the largest score in each row; ties go to the lowest index (as numpy's and torch's argmax). A NaN
     * never wins, so a row of only NaNs predicts -1, which matches no label.
     */
    public static int[] classes(Tensor scores) {
        if (scores.rank() != 2 || scores.dim(1) < 1) {
            throw new IllegalArgumentException("scores must be [n, classes] with classes >= 1, got "
                    + Arrays.toString(scores.shape()));
        }
        int n = scores.dim(0);
        int classes = scores.dim(1);
        int[] out = new int[n];
        float[] f = scores.dtype().storage() == DType.Storage.FLOAT ? scores.floats() : null;
        for (int row = 0; row < n; row++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                int i = row * classes + c;
                double v = f != null ? f[i] : scores.getDouble(i);
                if (v > bestScore || best < 0 && v == bestScore) { // == admits a row of -inf, > skips NaN
                    best = c;
                    bestScore = v;
                }
            }
            out[row] = best;
        }
        return out;
    }
}
