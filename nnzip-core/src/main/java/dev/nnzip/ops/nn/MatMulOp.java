package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.Epilogue;
import dev.nnzip.kernels.PackedB;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.kernels.Sgemm;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX MatMul, numpy semantics: {@code [..., M, K] · [..., K, N] → [..., M, N]} with the batch dimensions broadcast; a
 * 1-D first operand is a row ({@code [1, K]}, the M axis removed from the result), a 1-D second operand a column
 * ({@code [K, 1]}, the N axis removed).
 *
 * <p>Also nnzip's {@code FusedMatMul}: {@code act(MatMul(A, B) + bias)} where input 2 (optional) is the Add's other
 * operand. A bias of shape {@code [N]} (or {@code [1, ..., 1, N]} no longer than the product) rides in the SGEMM
 * epilogue; any other shape is added with full broadcasting afterwards, exactly as the separate Add would.
 *
 * <p>When B has no batch dimensions (a weight matrix, the common case) the batch and M dimensions of A are flattened
 * into one tall SGEMM, so {@code [batch, seq, K] · [K, N]} is one call with {@code M = batch·seq}.
 */
final class MatMulOp implements OpKernel {
    /** Per-batch products below this many multiply-adds are split over threads by batch, not inside the SGEMM. */
    private static final long SMALL_PRODUCT = 1L << 21;

    private final String name;
    private final Activation activation;
    private final PackedWeight<PackedB> packedB = new PackedWeight<>();

    private MatMulOp(String name, Activation activation) {
        this.name = name;
        this.activation = activation;
    }

    static OpKernel create(Node node, boolean fused) {
        return new MatMulOp(node.opType(), fused ? ActivationAttributes.parse(node.attributes()) : Activation.none());
    }

    private MatMulShape plan(int[] as, int[] bs) {
        try {
            return MatMulShape.of(as, bs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
        Tensor a = Operands.require(inputs[0], name, "A");
        Tensor b = Operands.require(inputs.length > 1 ? inputs[1] : null, name, "B");
        Tensor bias = inputs.length > 2 ? inputs[2] : null;
        Operands.sameType(a, b, name);
        MatMulShape p = plan(a.shape(), b.shape());
        Tensor product = ctx.zeros(a.dtype(), p.outShape());
        Tensor y = product;
        switch (a.dtype().storage()) {
            case FLOAT -> {
                boolean epilogueBias = bias != null && fitsEpilogue(bias, p);
                Epilogue e = epilogueBias
                        ? Epilogue.columnBias(Operands.floats(bias, name, "bias"), 0, activation)
                        : bias == null ? Epilogue.of(activation) : Epilogue.none();
                floatProduct(p, a.floats(), b.floats(), ctx.isWeight(1), y.floats(), e, ctx.parallel(), packedB);
                if (bias != null && !epilogueBias) {
                    y = addThenActivate(y, bias);
                }
            }
            case DOUBLE -> {
                exact(p, (bi, ao, bo, co) -> ExactMatMul.gemm(false, false, p.m(), p.n(), p.k(), a.doubles(), ao,
                        b.doubles(), bo, product.doubles(), co));
                requireNoFusion();
            }
            case LONG -> {
                exact(p, (bi, ao, bo, co) -> ExactMatMul.gemm(false, false, p.m(), p.n(), p.k(), a.longs(), ao,
                        b.longs(), bo, product.longs(), co, a.dtype()));
                requireNoFusion();
            }
            default -> throw new IllegalArgumentException(name + ": element type " + a.dtype()
                    + " is not supported; expected a float, double or integer type");
        }
        return new Tensor[] {y};
    }

    private void requireNoFusion() {
        if (!activation.isNone()) {
            throw new IllegalArgumentException(name + " with an activation needs float operands");
        }
    }

    /** True when the bias is {@code [1, ..., 1, N]} (rank <= output rank) with N the output's last axis. */
    private static boolean fitsEpilogue(Tensor bias, MatMulShape p) {
        int[] s = bias.shape();
        if (p.bColumn() || s.length == 0 || s.length > p.outShape().length || s[s.length - 1] != p.n()) {
            return false;
        }
        for (int i = 0; i < s.length - 1; i++) {
            if (s[i] != 1) {
                return false;
            }
        }
        return bias.dtype().storage() == DType.Storage.FLOAT;
    }

    /** The unfused order: {@code y + bias} with broadcasting (the shape may grow), then the activation. */
    private Tensor addThenActivate(Tensor y, Tensor bias) {
        float[] bd = Operands.floats(bias, name, "bias");
        int[] shape = Shapes.broadcast(y.shape(), bias.shape());
        float[] out = Broadcasting.expand(y.floats(), y.shape(), shape);
        float[] bb = Broadcasting.expand(bd, bias.shape(), shape);
        for (int i = 0; i < out.length; i++) {
            out[i] += bb[i];
        }
        activation.applyInPlace(out, 0, out.length);
        return Tensor.wrap(y.dtype(), shape, out);
    }

    @FunctionalInterface
    private interface BatchBody {
        void run(int batchIndex, int aOff, int bOff, int cOff);
    }

    /** Offsets of A and B for every output batch index, honouring broadcast batch axes. */
    private static void forEachBatch(MatMulShape p, int from, int to, BatchBody body) {
        int rank = p.batch().length;
        int[] aStr = batchStrides(p.aBatch(), rank, p.m() * p.k());
        int[] bStr = batchStrides(p.bBatch(), rank, p.k() * p.n());
        for (int t = from; t < to; t++) {
            int ao = 0;
            int bo = 0;
            int rem = t;
            for (int ax = rank - 1; ax >= 0; ax--) {
                int i = rem % p.batch()[ax];
                rem /= p.batch()[ax];
                ao += i * aStr[ax];
                bo += i * bStr[ax];
            }
            body.run(t, ao, bo, t * p.m() * p.n());
        }
    }

    /** Element strides of an operand's batch axes, aligned right to {@code rank} axes, 0 where broadcast. */
    private static int[] batchStrides(int[] batch, int rank, int matrix) {
        int[] s = new int[rank];
        int acc = matrix;
        for (int i = batch.length - 1; i >= 0; i--) {
            int ax = rank - batch.length + i;
            s[ax] = batch[i] == 1 ? 0 : acc;
            acc *= batch[i];
        }
        return s;
    }

    private static void floatProduct(MatMulShape p, float[] a, float[] b, boolean bWeight, float[] y, Epilogue e,
                                     Parallel par, PackedWeight<PackedB> cache) {
        int batches = p.batches();
        if (batches == 0 || p.m() == 0 || p.n() == 0) {
            return;
        }
        boolean bShared = Shapes.size(p.bBatch()) == 1;
        boolean aFull = Arrays.equals(padLeft(p.aBatch(), p.batch().length), p.batch());
        if (bShared && aFull) { // one tall product: A's batch axes fold into M
            PackedB packed = b.length != p.k() * p.n() ? null
                    : cache.lookup(bWeight, b, new int[] {p.k(), p.n()},
                            () -> Sgemm.pack(false, p.k(), p.n(), b, 0, p.n()));
            if (packed != null) {
                Sgemm.multiply(false, batches * p.m(), 1f, a, 0, p.k(), packed, 0f, y, 0, p.n(), e, par);
                return;
            }
            Sgemm.multiply(false, false, batches * p.m(), p.n(), p.k(), 1f, a, 0, p.k(), b, 0, p.n(), 0f, y, 0,
                    p.n(), e, par);
            return;
        }
        long work = (long) p.m() * p.n() * p.k();
        if (batches >= par.threads() && work < SMALL_PRODUCT) {
            par.forRange(batches, 1, (from, to) -> forEachBatch(p, from, to, (t, ao, bo, co) ->
                    Sgemm.multiply(false, false, p.m(), p.n(), p.k(), 1f, a, ao, p.k(), b, bo, p.n(), 0f, y, co,
                            p.n(), e, Parallel.sequential())));
        } else {
            forEachBatch(p, 0, batches, (t, ao, bo, co) ->
                    Sgemm.multiply(false, false, p.m(), p.n(), p.k(), 1f, a, ao, p.k(), b, bo, p.n(), 0f, y, co,
                            p.n(), e, par));
        }
    }

    private static int[] padLeft(int[] s, int rank) {
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        System.arraycopy(s, 0, out, rank - s.length, s.length);
        return out;
    }

    private static void exact(MatMulShape p, BatchBody body) {
        forEachBatch(p, 0, p.batches(), body);
    }
}
