package dev.nnzip.ops.math;

import dev.nnzip.ops.OpRegistry;

/** Registers the operators of the {@code ops.math} family. */
public final class MathOps {
    private MathOps() {
    }

    public static void register(OpRegistry r) {
    }
}
