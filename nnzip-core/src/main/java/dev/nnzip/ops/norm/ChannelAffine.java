package dev.nnzip.ops.norm;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.ops.math.HalfPrecision;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * {@code y = x * a[p] + b[p]} over an {@code [N, P, S]} view of a tensor, where P is the channel (or per-feature) count
 * and S the spatial size: what inference-time BatchNormalization and InstanceNormalization reduce to once their
 * statistics are folded into one multiplier and one offset per slice.
 */
final class ChannelAffine {
    private ChannelAffine() {
    }

    /**
     * Applies the affine map. {@code a} and {@code b} have {@code params} entries; for {@code perSample} they are laid
     * out {@code [N, P]} (one pair per sample and channel, as instance statistics are), otherwise {@code [P]}.
     */
    static Tensor apply(Tensor x, int batch, int params, int spatial, double[] a, double[] b, boolean perSample,
                        Parallel parallel) {
        int slices = batch * params;
        int minChunk = Math.max(1, Elementwise.MIN_CHUNK / Math.max(1, spatial));
        if (x.dtype() == DType.DOUBLE) {
            double[] in = x.doubles();
            double[] out = new double[in.length];
            parallel.forRange(slices, minChunk, (from, to) -> {
                for (int s = from; s < to; s++) {
                    int p = perSample ? s : s % params;
                    for (int i = s * spatial; i < (s + 1) * spatial; i++) {
                        out[i] = in[i] * a[p] + b[p];
                    }
                }
            });
            return Tensor.of(out, x.shape());
        }
        float[] in = x.floats();
        float[] out = new float[in.length];
        DType type = x.dtype();
        parallel.forRange(slices, minChunk, (from, to) -> {
            for (int s = from; s < to; s++) {
                int p = perSample ? s : s % params;
                float mul = (float) a[p];
                float add = (float) b[p];
                for (int i = s * spatial; i < (s + 1) * spatial; i++) {
                    out[i] = in[i] * mul + add;
                }
            }
            HalfPrecision.roundInPlace(type, out, from * spatial, to * spatial);
        });
        return Tensor.wrap(type, x.shape(), out);
    }

    /** A 1-D parameter as doubles, checked to have {@code expected} elements. */
    static double[] parameter(String op, String name, Tensor t, int expected) {
        if (t.size() != expected) {
            throw new IllegalArgumentException(op + " " + name + " has " + t.size() + " elements "
                    + Arrays.toString(t.shape()) + ", expected " + expected);
        }
        double[] d = new double[expected];
        for (int i = 0; i < expected; i++) {
            d[i] = t.getDouble(i);
        }
        return d;
    }
}
