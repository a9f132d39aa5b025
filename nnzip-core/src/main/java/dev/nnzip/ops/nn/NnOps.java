package dev.nnzip.ops.nn;

import dev.nnzip.ops.OpRegistry;

/**
 * Registers the operators of the {@code ops.nn} family: the matrix products, convolutions and pools, plus nnzip's fused
 * forms and channel-blocked (NCHWc) region operators that {@code dev.nnzip.graph.optimize.GraphOptimizer} creates
 * (domain {@value ActivationAttributes#DOMAIN}).
 */
public final class NnOps {
    private NnOps() {
    }

    public static void register(OpRegistry r) {
        r.register("MatMul", (node, opset) -> MatMulOp.create(node, false));
        r.register("Gemm", (node, opset) -> GemmOp.create(node, false));
        r.register("Conv", (node, opset) -> ConvOp.create(node, false));
        r.register("ConvTranspose", (node, opset) -> ConvTransposeOp.create(node));
        r.register("MaxPool", (node, opset) -> PoolOp.create(node, PoolOp.Kind.MAX));
        r.register("AveragePool", (node, opset) -> PoolOp.create(node, PoolOp.Kind.AVERAGE));
        r.register("LpPool", (node, opset) -> PoolOp.create(node, PoolOp.Kind.LP));
        r.register("GlobalAveragePool", (node, opset) -> GlobalPoolOp.create(node, GlobalPoolOp.Kind.AVERAGE));
        r.register("GlobalMaxPool", (node, opset) -> GlobalPoolOp.create(node, GlobalPoolOp.Kind.MAX));
        r.register("GlobalLpPool", (node, opset) -> GlobalPoolOp.create(node, GlobalPoolOp.Kind.LP));
        String d = ActivationAttributes.DOMAIN;
        r.register(d, "FusedConv", (node, opset) -> ConvOp.create(node, true));
        r.register(d, "FusedGemm", (node, opset) -> GemmOp.create(node, true));
        r.register(d, "FusedMatMul", (node, opset) -> MatMulOp.create(node, true));
        r.register(d, "BlockedConv", (node, opset) -> BlockedConvOp.create(node));
        r.register(d, "ReorderToBlocked", (node, opset) -> BlockedLayoutOps.toBlocked(node));
        r.register(d, "ReorderFromBlocked", (node, opset) -> BlockedLayoutOps.fromBlocked(node));
        r.register(d, "BlockedGlobalAveragePool", (node, opset) -> BlockedLayoutOps.globalAveragePool(node));
    }
}
