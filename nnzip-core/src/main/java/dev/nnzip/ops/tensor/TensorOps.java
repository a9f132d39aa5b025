package dev.nnzip.ops.tensor;

import dev.nnzip.ops.OpRegistry;

/** Registers the operators of the {@code ops.tensor} family. */
public final class TensorOps {
    private TensorOps() {
    }

    public static void register(OpRegistry r) {
    }
}
