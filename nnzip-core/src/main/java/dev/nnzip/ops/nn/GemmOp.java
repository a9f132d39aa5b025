package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.Epilogue;
import dev.nnzip.kernels.PackedB;
import dev.nnzip.kernels.Sgemm;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Gemm: {@code Y = alpha · op(A) · op(B) + beta · C} with {@code op} = transpose when transA/transB is set, A and
 * B 2-D, C optional and unidirectionally broadcast to {@code [M, N]}. With {@code beta == 0} C is not read (as ONNX
 * Runtime does). Also nnzip's {@code FusedGemm}: the same followed by an activation, applied in the SGEMM epilogue.
 *
 * <p>Integer types are computed exactly in 64-bit arithmetic and wrapped to the declared width; they need whole-number
 * alpha and beta.
 */
final class GemmOp implements OpKernel {
    private final String name;
    private final boolean transA;
    private final boolean transB;
    private final float alpha;
    private final float beta;
    private final Activation activation;
    private final PackedWeight<PackedB> packedB = new PackedWeight<>();

    private GemmOp(String name, boolean transA, boolean transB, float alpha, float beta, Activation activation) {
        this.name = name;
        this.transA = transA;
        this.transB = transB;
        this.alpha = alpha;
        this.beta = beta;
        this.activation = activation;
    }

    static OpKernel create(Node node, boolean fused) {
        var a = node.attributes();
        return new GemmOp(node.opType(), a.getInt("transA", 0) != 0, a.getInt("transB", 0) != 0,
                a.getFloat("alpha", 1f), a.getFloat("beta", 1f),
                fused ? ActivationAttributes.parse(a) : Activation.none());
    }

    @Override
    public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
        Tensor a = Operands.require(inputs[0], name, "A");
        Tensor b = Operands.require(inputs.length > 1 ? inputs[1] : null, name, "B");
        Tensor c = inputs.length > 2 ? inputs[2] : null;
        Operands.rank(a, 2, name, "A");
        Operands.rank(b, 2, name, "B");
        Operands.sameType(a, b, name);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException(name + ": op(A) is " + m + "x" + k + " but op(B) is " + kb + "x" + n
                    + " (A " + Arrays.toString(a.shape()) + ", transA=" + transA + "; B " + Arrays.toString(b.shape())
                    + ", transB=" + transB + ")");
        }
        int[] outShape = {m, n};
        boolean useC = c != null && beta != 0f;
        if (useC) {
            Operands.sameType(a, c, name);
        }
        Tensor y;
        switch (a.dtype().storage()) {
            case FLOAT -> {
                y = useC ? Tensor.wrap(a.dtype(), outShape, Broadcasting.expand(c.floats(), c.shape(), outShape))
                        : ctx.zeros(a.dtype(), outShape);
                float[] yd = y.floats();
                if (useC && beta != 1f) {
                    for (int i = 0; i < yd.length; i++) {
                        yd[i] *= beta;
                    }
                }
                float[] bd = b.floats();
                PackedB packed = packedB(ctx.isWeight(1), bd, k, n, b.dim(1));
                if (packed != null) {
                    Sgemm.multiply(transA, m, alpha, a.floats(), 0, a.dim(1), packed, useC ? 1f : 0f, yd, 0, n,
                            Epilogue.of(activation), ctx.parallel());
                } else {
                    Sgemm.multiply(transA, transB, m, n, k, alpha, a.floats(), 0, a.dim(1), bd, 0, b.dim(1),
                            useC ? 1f : 0f, yd, 0, n, Epilogue.of(activation), ctx.parallel());
                }
            }
            case DOUBLE, LONG -> {
                if (!activation.isNone()) {
                    throw new IllegalArgumentException(name + " with an activation needs float operands");
                }
                y = exact(a, b, c, useC, m, n, k, outShape);
            }
            default -> throw new IllegalArgumentException(name + ": element type " + a.dtype()
                    + " is not supported; expected a float, double or integer type");
        }
        return new Tensor[] {y};
    }

    /**
     * op(B) as packed panels, or null to multiply from B as it is. A constant B (the usual Gemm: a Linear layer's
     * weight) is packed once and kept in {@link #packedB}. A transposed B is packed even on a first sighting: the
     * kernels would otherwise take their dot-product path for small M, whose sums run in a different order than the
     * packed micro-kernel's, so the first run (or every run of a memory mode that decodes weights per run) would
     * differ in the last bits from the runs that find the packed copy. A row-major B unpacked goes through the same
     * arithmetic as packed (the packing is a copy), so it needs no such step.
     */
    private PackedB packedB(boolean weight, float[] b, int k, int n, int ldb) {
        if (b.length != k * n) {
            return null;
        }
        PackedB kept = packedB.lookup(weight, b, new int[] {transB ? 1 : 0, k, n},
                () -> Sgemm.pack(transB, k, n, b, 0, ldb));
        if (kept != null || !transB) {
            return kept;
        }
        return Sgemm.pack(true, k, n, b, 0, ldb);
    }

    private Tensor exact(Tensor a, Tensor b, Tensor c, boolean useC, int m, int n, int k, int[] outShape) {
        Tensor y = Tensor.zeros(a.dtype(), outShape);
        if (a.dtype().storage() == dev.nnzip.tensor.DType.Storage.DOUBLE) {
            double[] yd = y.doubles();
            ExactMatMul.gemm(transA, transB, m, n, k, a.doubles(), 0, b.doubles(), 0, yd, 0);
            double[] cd = useC ? expandDoubles(c, outShape) : null;
            for (int i = 0; i < yd.length; i++) {
                yd[i] = alpha * yd[i] + (useC ? beta * cd[i] : 0);
            }
            return y;
        }
        if (alpha != Math.rint(alpha) || beta != Math.rint(beta)) {
            throw new IllegalArgumentException(name + ": integer Gemm needs whole-number alpha and beta, got alpha="
                    + alpha + ", beta=" + beta);
        }
        long[] yd = y.longs();
        ExactMatMul.gemm(transA, transB, m, n, k, a.longs(), 0, b.longs(), 0, yd, 0, a.dtype());
        long[] cd = useC ? expandLongs(c, outShape) : null;
        for (int i = 0; i < yd.length; i++) {
            yd[i] = ExactMatMul.wrap(a.dtype(), (long) alpha * yd[i] + (useC ? (long) beta * cd[i] : 0));
        }
        return y;
    }

    private static double[] expandDoubles(Tensor c, int[] to) {
        double[] src = c.doubles();
        float[] idx = new float[src.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i; // broadcast the element indices, then gather (exact for < 2^24 elements)
        }
        float[] where = Broadcasting.expand(idx, c.shape(), to);
        double[] out = new double[where.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[(int) where[i]];
        }
        return out;
    }

    private static long[] expandLongs(Tensor c, int[] to) {
        long[] src = c.longs();
        float[] idx = new float[src.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        float[] where = Broadcasting.expand(idx, c.shape(), to);
        long[] out = new long[where.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[(int) where[i]];
        }
        return out;
    }
}
