package dev.nnzip.ops.norm;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * InstanceNormalization (Ulyanov et al. 2016): each (sample, channel) slice of {@code [N, C, D1, ...]} is normalized by
 * its own mean and (population) variance, then scaled and shifted per channel:
 * {@code y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c]}.
 */
final class InstanceNormalizationOp {
    private InstanceNormalizationOp() {
    }

    static OpKernel create(Node node, int opset) {
        double epsilon = node.attributes().getFloat("epsilon", 1e-5f);
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("InstanceNormalization", inputs, 0, "input");
            Elementwise.requireFloatingPoint("InstanceNormalization", x.dtype());
            if (x.rank() < 3) {
                throw new IllegalArgumentException("InstanceNormalization needs input of rank >= 3 ([N, C, D1, ...]),"
                        + " got " + Arrays.toString(x.shape()));
            }
            int batch = x.dim(0);
            int channels = x.dim(1);
            int spatial = x.size() / Math.max(1, batch * channels);
            double[] scale = ChannelAffine.parameter("InstanceNormalization", "scale", inputs[1], channels);
            double[] bias = ChannelAffine.parameter("InstanceNormalization", "B", inputs[2], channels);
            double[] a = new double[batch * channels];
            double[] b = new double[batch * channels];
            for (int s = 0; s < batch * channels; s++) {
                double[] meanVar = x.dtype() == DType.DOUBLE ? meanAndVariance(x.doubles(), s * spatial, spatial)
                        : meanAndVariance(x.floats(), s * spatial, spatial);
                int c = s % channels;
                a[s] = scale[c] / Math.sqrt(meanVar[1] + epsilon);
                b[s] = bias[c] - meanVar[0] * a[s];
            }
            return new Tensor[] {ChannelAffine.apply(x, batch, channels, spatial, a, b, true, ctx.parallel())};
        };
    }

    /** Mean and population variance of {@code x[from, from + n)}, in two passes (no E[x^2] - E[x]^2 cancellation). */
    static double[] meanAndVariance(float[] x, int from, int n) {
        double mean = 0;
        for (int i = from; i < from + n; i++) {
            mean += x[i];
        }
        mean /= n;
        double var = 0;
        for (int i = from; i < from + n; i++) {
            double d = x[i] - mean;
            var += d * d;
        }
        return new double[] {mean, var / n};
    }

    static double[] meanAndVariance(double[] x, int from, int n) {
        double mean = 0;
        for (int i = from; i < from + n; i++) {
            mean += x[i];
        }
        mean /= n;
        double var = 0;
        for (int i = from; i < from + n; i++) {
            double d = x[i] - mean;
            var += d * d;
        }
        return new double[] {mean, var / n};
    }
}
