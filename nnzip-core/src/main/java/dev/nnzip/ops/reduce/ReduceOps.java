package dev.nnzip.ops.reduce;

import dev.nnzip.ops.OpRegistry;

/** Registers the operators of the {@code ops.reduce} family. */
public final class ReduceOps {
    private ReduceOps() {
    }

    public static void register(OpRegistry r) {
    }
}
