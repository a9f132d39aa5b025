package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.kernels.Pooling;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX GlobalAveragePool, GlobalMaxPool and GlobalLpPool: one value per (image, channel) over all spatial positions;
 * output {@code [N, C, 1, ..., 1]} of the input's rank.
 */
final class GlobalPoolOp implements OpKernel {
    enum Kind { AVERAGE, MAX, LP }

    private final Kind kind;
    private final float p;

    private GlobalPoolOp(Kind kind, float p) {
        this.kind = kind;
        this.p = p;
    }

    static OpKernel create(Node node, Kind kind) {
        var a = node.attributes();
        float p = 2;
        if (kind == Kind.LP && a.has("p")) {
            p = a.get("p").type() == dev.nnzip.graph.Attribute.Type.FLOAT ? a.getFloat("p", 2) : a.getInt("p", 2);
        }
        if (!(p > 0)) {
            throw new IllegalArgumentException("GlobalLpPool needs p > 0, got " + p);
        }
        return new GlobalPoolOp(kind, p);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
        String name = "Global" + kind;
        Tensor x = Operands.require(inputs[0], name, "X");
        float[] xd = Operands.floats(x, name, "X");
        int[] xs = x.shape();
        if (xs.length < 2) {
            throw new IllegalArgumentException(name + ": X must be [N, C, D1..Dn], got " + Arrays.toString(xs));
        }
        int planes = xs[0] * xs[1];
        int size = planes == 0 ? 0 : x.size() / planes;
        int[] ys = new int[xs.length];
        Arrays.fill(ys, 1);
        ys[0] = xs[0];
        ys[1] = xs[1];
        float[] y = ctx.floats(planes);
        switch (kind) {
            case AVERAGE -> Pooling.globalAverage(xd, planes, size, y, ctx.parallel());
            case MAX -> Pooling.globalMax(xd, planes, size, y, ctx.parallel());
            case LP -> {
                for (int pl = 0; pl < planes; pl++) {
                    double s = 0;
                    for (int i = pl * size; i < (pl + 1) * size; i++) {
                        s += Math.pow(Math.abs(xd[i]), p);
                    }
                    y[pl] = (float) Math.pow(s, 1.0 / p);
                }
            }
        }
        return new Tensor[] {Tensor.wrap(x.dtype(), ys, y)};
    }
}
