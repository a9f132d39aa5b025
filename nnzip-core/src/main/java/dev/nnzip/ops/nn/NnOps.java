package dev.nnzip.ops.nn;

import dev.nnzip.ops.OpRegistry;

/** Registers the operators of the {@code ops.nn} family. */
public final class NnOps {
    private NnOps() {
    }

    public static void register(OpRegistry r) {
    }
}
