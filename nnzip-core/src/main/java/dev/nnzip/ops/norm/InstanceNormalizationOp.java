package dev.nnzip.ops.norm;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Elementwise;
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
                double mean = 0;
                for (int i = 0; i < spatial; i++) {
                    mean += x.getDouble(s * spatial + i);
                }
                mean /= spatial;
                double var = 0;
                for (int i = 0; i < spatial; i++) { // two passes: no cancellation as in E[x^2] - E[x]^2
                    double d = x.getDouble(s * spatial + i) - mean;
                    var += d * d;
                }
                var /= spatial;
                int c = s % channels;
                a[s] = scale[c] / Math.sqrt(var + epsilon);
                b[s] = bias[c] - mean * a[s];
            }
            return new Tensor[] {ChannelAffine.apply(x, batch, channels, spatial, a, b, true, ctx.parallel())};
        };
    }
}
