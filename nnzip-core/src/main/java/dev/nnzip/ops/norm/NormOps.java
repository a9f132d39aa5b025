package dev.nnzip.ops.norm;

import dev.nnzip.ops.OpRegistry;

/**
 * Registers the operators of the {@code ops.norm} family: Softmax, LogSoftmax, BatchNormalization (inference),
 * LayerNormalization, InstanceNormalization and LpNormalization.
 */
public final class NormOps {
    private NormOps() {
    }

    public static void register(OpRegistry r) {
        r.register("Softmax", (node, opset) -> SoftmaxOp.create(false, node, opset));
        r.register("LogSoftmax", (node, opset) -> SoftmaxOp.create(true, node, opset));
        r.register("BatchNormalization", BatchNormalizationOp::create);
        r.register("LayerNormalization", LayerNormalizationOp::create);
        r.register("InstanceNormalization", InstanceNormalizationOp::create);
        r.register("LpNormalization", LpNormalizationOp::create);
    }
}
