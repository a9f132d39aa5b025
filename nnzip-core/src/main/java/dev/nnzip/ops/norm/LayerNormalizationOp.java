package dev.nnzip.ops.norm;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Broadcast;
import dev.nnzip.ops.math.CastOp;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.ops.math.HalfPrecision;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * LayerNormalization (opset 17; Ba et al. 2016). X is viewed as {@code [outer, D]} with {@code D = prod(dims[axis:])};
 * each row is normalized by its mean and population variance, then scaled and shifted:
 * {@code Y = (X - mean) / sqrt(var + epsilon) * Scale + B}. Scale and the optional B broadcast to {@code dims[axis:]}.
 *
 * <p>The optional outputs Mean and InvStdDev have shape {@code dims[:axis] + [1] * (rank - axis)} and the type named by
 * {@code stash_type} (default 1 = float32). Row statistics accumulate in double, at least as precise as the float32
 * stash the spec asks for.
 */
final class LayerNormalizationOp {
    private LayerNormalizationOp() {
    }

    static OpKernel create(Node node, int opset) {
        long axisAttr = node.attributes().getInt("axis", -1);
        double epsilon = node.attributes().getFloat("epsilon", 1e-5f);
        long stashType = node.attributes().getInt("stash_type", 1);
        DType stash = stashType == DType.DOUBLE.onnxId() ? DType.DOUBLE
                : stashType == DType.FLOAT.onnxId() ? DType.FLOAT : null;
        if (stash == null) {
            throw new UnsupportedOperatorException("LayerNormalization stash_type " + stashType
                    + " is not supported; expected 1 (float) or 11 (double)");
        }
        boolean wantMean = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        boolean wantInvStd = node.outputs().size() > 2 && !node.outputs().get(2).isEmpty();
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("LayerNormalization", inputs, 0, "X");
            Tensor scale = Elementwise.requireInput("LayerNormalization", inputs, 1, "Scale");
            Tensor bias = inputs.length > 2 ? inputs[2] : null;
            Elementwise.requireFloatingPoint("LayerNormalization", x.dtype());
            int[] shape = x.shape();
            int rank = shape.length;
            int axis = Shapes.axis(axisAttr, rank);
            int[] normalized = Arrays.copyOfRange(shape, axis, rank);
            int d = Shapes.size(normalized);
            int rows = d == 0 ? 0 : x.size() / d;
            double[] gamma = expand("Scale", scale, normalized);
            double[] beta = bias == null ? new double[d] : expand("B", bias, normalized);
            double[] means = new double[rows];
            double[] invStd = new double[rows];
            Tensor y = normalize(x, rows, d, gamma, beta, epsilon, means, invStd, ctx);
            int[] statShape = shape.clone();
            Arrays.fill(statShape, axis, rank, 1);
            return new Tensor[] {y,
                    wantMean ? CastOp.cast(Tensor.of(means, statShape), stash) : null,
                    wantInvStd ? CastOp.cast(Tensor.of(invStd, statShape), stash) : null};
        };
    }

    /** Scale or bias broadcast to the normalized shape, flattened. */
    private static double[] expand(String name, Tensor t, int[] normalized) {
        Broadcast plan;
        try {
            plan = Broadcast.to(normalized, t.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LayerNormalization " + name + " " + Arrays.toString(t.shape())
                    + " does not broadcast to the normalized shape " + Arrays.toString(normalized), e);
        }
        double[] out = new double[plan.size()];
        int stride = plan.innerStride(0);
        plan.forEachSegment(0, out.length, (off, oi, len) -> {
            for (int i = 0; i < len; i++) {
                out[oi + i] = t.getDouble(off[0] + i * stride);
            }
        });
        return out;
    }

    private static Tensor normalize(Tensor x, int rows, int d, double[] gamma, double[] beta, double epsilon,
                                    double[] means, double[] invStd, ExecContext ctx) {
        Parallel parallel = ctx.parallel();
        int minChunk = Math.max(1, Elementwise.MIN_CHUNK / Math.max(1, d));
        if (x.dtype() == DType.DOUBLE) {
            double[] in = x.doubles();
            double[] out = new double[in.length];
            parallel.forRange(rows, minChunk, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int base = r * d;
                    double mean = 0;
                    for (int i = 0; i < d; i++) {
                        mean += in[base + i];
                    }
                    mean /= d;
                    double var = 0;
                    for (int i = 0; i < d; i++) {
                        double c = in[base + i] - mean;
                        var += c * c;
                    }
                    double inv = 1 / Math.sqrt(var / d + epsilon);
                    for (int i = 0; i < d; i++) {
                        out[base + i] = (in[base + i] - mean) * inv * gamma[i] + beta[i];
                    }
                    means[r] = mean;
                    invStd[r] = inv;
                }
            });
            return Tensor.of(out, x.shape());
        }
        float[] in = x.floats();
        float[] out = ctx.floats(in.length);
        float[] g = toFloats(gamma);
        float[] b = toFloats(beta);
        DType type = x.dtype();
        parallel.forRange(rows, minChunk, (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * d;
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    sum += in[base + i];
                }
                double mean = sum / d;
                double var = 0;
                for (int i = 0; i < d; i++) { // two passes: no cancellation as in E[x^2] - E[x]^2
                    double c = in[base + i] - mean;
                    var += c * c;
                }
                double inv = 1 / Math.sqrt(var / d + epsilon);
                float m = (float) mean;
                float s = (float) inv;
                for (int i = 0; i < d; i++) {
                    out[base + i] = (in[base + i] - m) * s * g[i] + b[i];
                }
                means[r] = mean;
                invStd[r] = inv;
            }
            HalfPrecision.roundInPlace(type, out, from * d, to * d);
        });
        return Tensor.wrap(type, x.shape(), out);
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
