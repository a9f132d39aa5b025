package dev.nnzip.kernels;

/**
 * What a GEMM does to each finished output element before it leaves the cache: add a bias, then apply an activation.
 * {@code y = act(c + bias)}, computed only after the full K sum, so the result is bit-for-bit the same as running the
 * GEMM, then an Add, then the activation as separate ops.
 *
 * <p>The bias is indexed by output row (a convolution's output channel: {@code C[co, pixel]}) or by output column (a
 * fully connected layer's output feature: {@code C[sample, feature]}).
 *
 * @param bias       bias values, or null for none
 * @param biasOffset index of the bias of row/column 0
 * @param perRow     true: {@code bias[biasOffset + i]} for row i; false: {@code bias[biasOffset + j]} for column j
 * @param activation applied after the bias; {@link Activation#none()} for none
 */
public record Epilogue(float[] bias, int biasOffset, boolean perRow, Activation activation) {
    private static final Epilogue NONE = new Epilogue(null, 0, false, Activation.none());

    public Epilogue {
        if (activation == null) {
            activation = Activation.none();
        }
    }

    public static Epilogue none() {
        return NONE;
    }

    public static Epilogue of(Activation activation) {
        return activation == null || activation.isNone() ? NONE : new Epilogue(null, 0, false, activation);
    }

    /** One bias per output row (convolution channels). */
    public static Epilogue rowBias(float[] bias, int offset, Activation activation) {
        return new Epilogue(bias, offset, true, activation);
    }

    /** One bias per output column (fully connected features). */
    public static Epilogue columnBias(float[] bias, int offset, Activation activation) {
        return new Epilogue(bias, offset, false, activation);
    }

    public boolean isNone() {
        return bias == null && activation.isNone();
    }

    /**
     * Applies the epilogue to the block of C with rows {@code [i0, i0 + rows)} and columns {@code [j0, j0 + cols)};
     * {@code c[cOff + i * ldc + j]} is element (i, j), i and j counted in the whole product.
     */
    public void apply(float[] c, int cOff, int ldc, int i0, int rows, int j0, int cols) {
        apply(c, cOff, ldc, i0, rows, j0, cols, KernelSupport.vectorEnabled());
    }

    /** As {@link #apply(float[], int, int, int, int, int, int)}, choosing the activation's vector or scalar form. */
    void apply(float[] c, int cOff, int ldc, int i0, int rows, int j0, int cols, boolean vector) {
        if (isNone()) {
            return;
        }
        if (vector && (bias == null || perRow)) { // one vector pass per row: bias and activation together
            for (int i = i0; i < i0 + rows; i++) {
                int row = cOff + i * ldc + j0;
                if (bias == null) {
                    VectorActivation.apply(activation, c, row, cols);
                } else {
                    VectorActivation.applyWithBias(activation, c, row, cols, bias[biasOffset + i]);
                }
            }
            return;
        }
        for (int i = i0; i < i0 + rows; i++) {
            int row = cOff + i * ldc + j0;
            if (bias != null) {
                if (perRow) {
                    float b = bias[biasOffset + i];
                    for (int j = 0; j < cols; j++) {
                        c[row + j] += b;
                    }
                } else {
                    int bo = biasOffset + j0;
                    for (int j = 0; j < cols; j++) {
                        c[row + j] += bias[bo + j];
                    }
                }
            }
            if (vector) {
                activation.applyInPlace(c, row, cols);
            } else {
                activation.applyScalar(c, row, cols);
            }
        }
    }
}
