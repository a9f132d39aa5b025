package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.Pooling;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX MaxPool (with the optional Indices output and storage_order), AveragePool (count_include_pad) and LpPool (p),
 * with kernel_shape, strides, dilations, pads, auto_pad and ceil_mode; 1-D, 2-D and 3-D.
 *
 * <p>MaxPool also accepts int8/uint8 tensors (opset 12): they are pooled as floats, which hold every 8-bit value
 * exactly.
 */
final class PoolOp implements OpKernel {
    enum Kind { MAX, AVERAGE, LP }

    private final Kind kind;
    private final WindowAttributes window;
    private final boolean countIncludePad;
    private final boolean columnMajorIndices;
    private final float p;
    private final boolean wantIndices;

    private PoolOp(Kind kind, WindowAttributes window, boolean countIncludePad, boolean columnMajorIndices, float p,
                   boolean wantIndices) {
        this.kind = kind;
        this.wantIndices = wantIndices;
        this.window = window;
        this.countIncludePad = countIncludePad;
        this.columnMajorIndices = columnMajorIndices;
        this.p = p;
    }

    static OpKernel create(Node node, Kind kind) {
        var a = node.attributes();
        WindowAttributes w = WindowAttributes.parse(a);
        if (w.kernelShape() == null) {
            throw new IllegalArgumentException(node.opType() + " needs the kernel_shape attribute");
        }
        long storage = a.getInt("storage_order", 0);
        if (storage != 0 && storage != 1) {
            throw new IllegalArgumentException("storage_order must be 0 (row major) or 1 (column major), got "
                    + storage);
        }
        float p = kind == Kind.LP ? a.getInt("p", 2) : 0;
        if (kind == Kind.LP && a.has("p") && a.get("p").type() == dev.nnzip.graph.Attribute.Type.FLOAT) {
            p = a.getFloat("p", 2); // LpPool-1 declared p as a float
        }
        if (kind == Kind.LP && !(p > 0)) {
            throw new IllegalArgumentException("LpPool needs p > 0, got " + p);
        }
        boolean indices = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        return new PoolOp(kind, w, a.getInt("count_include_pad", 0) != 0, storage == 1, p, indices);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
        String name = switch (kind) {
            case MAX -> "MaxPool";
            case AVERAGE -> "AveragePool";
            case LP -> "LpPool";
        };
        Tensor x = Operands.require(inputs[0], name, "X");
        float[] xd = poolable(x, name);
        int[] xs = x.shape();
        int rank = xs.length - 2;
        int[] kernel = WindowAttributes.perAxis("kernel_shape", window.kernelShape(), Math.max(rank, 0), 1);
        ConvGeometry g = window.forward(xs, xs[1], 1, kernel);
        float[] y = ctx.floats(Math.multiplyExact(g.batch() * g.outChannels(), g.outPlane()));
        switch (kind) {
            case MAX -> {
                long[] idx = wantIndices ? new long[y.length] : null;
                Pooling.max(g, xd, y, idx, columnMajorIndices, ctx.parallel());
                return new Tensor[] {output(x.dtype(), g.outputShape(), y),
                        idx == null ? null : Tensor.of(idx, g.outputShape())};
            }
            case AVERAGE -> Pooling.average(g, xd, y, countIncludePad, ctx.parallel());
            case LP -> Pooling.lp(g, xd, y, p, ctx.parallel());
        }
        return new Tensor[] {output(x.dtype(), g.outputShape(), y)};
    }

    private float[] poolable(Tensor x, String name) {
        if (x.dtype().storage() == DType.Storage.FLOAT) {
            return x.floats();
        }
        if (kind == Kind.MAX && (x.dtype() == DType.INT8 || x.dtype() == DType.UINT8)) {
            long[] l = x.longs();
            float[] f = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                f[i] = l[i];
            }
            return f;
        }
        throw new IllegalArgumentException(name + ": input 'X' has element type " + x.dtype() + ", expected float32, "
                + "float16 or bfloat16" + (kind == Kind.MAX ? " (or int8/uint8)" : ""));
    }

    private static Tensor output(DType type, int[] shape, float[] y) {
        if (type.storage() == DType.Storage.FLOAT) {
            return Tensor.wrap(type, shape, y);
        }
        long[] l = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            l[i] = (long) y[i];
        }
        return Tensor.wrap(type, shape, l);
    }

    @Override
    public String toString() {
        return kind + " pool " + Arrays.toString(window.kernelShape());
    }
}
