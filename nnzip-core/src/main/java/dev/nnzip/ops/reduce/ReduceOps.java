package dev.nnzip.ops.reduce;

import dev.nnzip.ops.OpRegistry;

/** Registers the operators of the {@code ops.reduce} family: the Reduce* ops, ArgMax and ArgMin. */
public final class ReduceOps {
    private ReduceOps() {
    }

    public static void register(OpRegistry r) {
        for (Reducer reducer : Reducer.values()) {
            r.register(reducer.opType(), (node, opset) -> ReduceOp.create(reducer, node, opset));
        }
        r.register("ArgMax", (node, opset) -> ArgReduceOp.create(true, node, opset));
        r.register("ArgMin", (node, opset) -> ArgReduceOp.create(false, node, opset));
    }
}
