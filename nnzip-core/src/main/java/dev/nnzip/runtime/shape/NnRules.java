package dev.nnzip.runtime.shape;

import dev.nnzip.ops.nn.ActivationAttributes;
import dev.nnzip.ops.nn.MatMulShape;
import dev.nnzip.ops.nn.WindowShapes;
import dev.nnzip.tensor.DType;
import java.util.Arrays;
import java.util.List;

/**
 * Shape rules of the neural-network operators: convolutions and pooling (through {@link WindowShapes}, the kernels' own
 * attribute parsing and output-size rules: auto_pad, strides, dilations, groups, ceil_mode), Gemm, MatMul (numpy
 * matmul: 1-D operands promoted, batch dims broadcast) and the normalizations.
 */
final class NnRules {
    private NnRules() {
    }

    static void register(ShapeRules r) {
        ShapeRule conv = n -> new TensorType[] {TensorType.of(n.dtype(0),
                windowed(n, () -> WindowShapes.conv(n.attributes(), n.shape(0), n.shape(1))))};
        r.register("Conv", conv);
        r.register(ActivationAttributes.DOMAIN, "FusedConv", conv);
        r.register("ConvTranspose", n -> new TensorType[] {TensorType.of(n.dtype(0),
                windowed(n, () -> WindowShapes.convTranspose(n.attributes(), n.shape(0), n.shape(1))))});
        for (String op : List.of("MaxPool", "AveragePool", "LpPool")) {
            r.register(op, NnRules::pool);
        }
        for (String op : List.of("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool")) {
            r.register(op, n -> {
                int[] s = n.shape(0);
                Arrays.fill(s, 2, s.length, 1);
                return new TensorType[] {TensorType.of(n.dtype(0), s)};
            });
        }
        r.register("Gemm", NnRules::gemm);
        r.register(ActivationAttributes.DOMAIN, "FusedGemm", NnRules::gemm);
        r.register("MatMul", NnRules::matMul);
        r.register(ActivationAttributes.DOMAIN, "FusedMatMul", NnRules::matMul);
        r.register("BatchNormalization", n -> new TensorType[] {n.input(0).withoutValue()});
        r.register("LayerNormalization", NnRules::layerNormalization);
    }

    private static int[] windowed(NodeShapes n, java.util.function.Supplier<int[]> rule) {
        try {
            return rule.get();
        } catch (IllegalArgumentException e) {
            throw n.mismatch(e.getMessage());
        }
    }

    /** MaxPool's optional Indices output is int64 of the output's shape. */
    private static TensorType[] pool(NodeShapes n) {
        int[] y = windowed(n, () -> WindowShapes.pool(n.attributes(), n.shape(0)));
        TensorType out = TensorType.of(n.dtype(0), y);
        return n.wantsOutput(1) ? new TensorType[] {out, TensorType.of(DType.INT64, y)} : new TensorType[] {out};
    }

    private static TensorType[] gemm(NodeShapes n) {
        int[] a = n.shape(0);
        int[] b = n.shape(1);
        if (a.length != 2 || b.length != 2) {
            throw n.mismatch("Gemm needs 2-D A and B");
        }
        boolean transA = n.attributes().getInt("transA", 0) != 0;
        boolean transB = n.attributes().getInt("transB", 0) != 0;
        int k = transA ? a[0] : a[1];
        int kb = transB ? b[1] : b[0];
        if (k != kb) {
            throw n.mismatch("op(A) has " + k + " columns but op(B) " + kb + " rows");
        }
        return new TensorType[] {TensorType.of(n.dtype(0), transA ? a[1] : a[0], transB ? b[0] : b[1])};
    }

    /**
     * numpy.matmul: a 1-D A is a row (its M axis dropped from the result), a 1-D B a column (its N axis dropped); the
     * leading (batch) dims broadcast.
     */
    private static TensorType[] matMul(NodeShapes n) {
        try {
            return new TensorType[] {TensorType.of(n.dtype(0), MatMulShape.of(n.shape(0), n.shape(1)).outShape())};
        } catch (IllegalArgumentException e) {
            throw n.mismatch("MatMul " + e.getMessage());
        }
    }

    /** Y has X's shape; Mean and InvStdDev are {@code dims[:axis] + [1] * (rank - axis)} of the stash type. */
    private static TensorType[] layerNormalization(NodeShapes n) {
        int[] x = n.shape(0);
        int axis = n.axis(n.attributes().getInt("axis", -1), x.length);
        int[] stat = x.clone();
        Arrays.fill(stat, axis, stat.length, 1);
        DType stash = n.attributes().getInt("stash_type", 1) == DType.DOUBLE.onnxId() ? DType.DOUBLE : DType.FLOAT;
        return new TensorType[] {n.input(0).withoutValue(),
                n.wantsOutput(1) ? TensorType.of(stash, stat) : null,
                n.wantsOutput(2) ? TensorType.of(stash, stat) : null};
    }
}
