package dev.nnzip.ops.norm;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.math.Elementwise;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * BatchNormalization in its inference form: {@code y = scale * (x - mean) / sqrt(var + epsilon) + B} per channel (axis
 * 1 of {@code [N, C, D1, ...]}), computed as one multiply-add per element with the per-channel factors folded first.
 *
 * <p>Training (opset 14+ {@code training_mode=1}, or any of the running-statistics outputs of older opsets) updates
 * statistics an inference engine has no use for, and is refused at load. Opsets 7-8 with {@code spatial=0} take
 * per-activation parameters of shape {@code [C, D1, ...]}.
 */
final class BatchNormalizationOp {
    private BatchNormalizationOp() {
    }

    static OpKernel create(Node node, int opset) {
        double epsilon = node.attributes().getFloat("epsilon", 1e-5f);
        if (node.attributes().getInt("training_mode", 0) != 0) {
            throw new UnsupportedOperatorException("BatchNormalization training_mode=1 is not supported: nnzip runs"
                    + " inference only (export the model in eval mode)");
        }
        long extraOutputs = node.outputs().stream().skip(1).filter(o -> !o.isEmpty()).count();
        if (extraOutputs > 0) {
            throw new UnsupportedOperatorException("BatchNormalization with the training outputs (running mean/var,"
                    + " saved mean/var) is not supported: nnzip runs inference only; outputs were " + node.outputs());
        }
        boolean spatial = opset >= 9 || node.attributes().getInt("spatial", 1) != 0;
        return (inputs, ctx) -> {
            Tensor x = Elementwise.requireInput("BatchNormalization", inputs, 0, "X");
            Elementwise.requireFloatingPoint("BatchNormalization", x.dtype());
            if (x.rank() < 2) {
                throw new IllegalArgumentException("BatchNormalization needs X of rank >= 2 ([N, C, ...]), got "
                        + Arrays.toString(x.shape()));
            }
            int batch = x.dim(0);
            int perSample = x.size() / Math.max(1, batch);
            int params = spatial ? x.dim(1) : perSample;
            int spatialSize = batch == 0 ? 0 : perSample / Math.max(1, params);
            double[] scale = ChannelAffine.parameter("BatchNormalization", "scale", inputs[1], params);
            double[] bias = ChannelAffine.parameter("BatchNormalization", "B", inputs[2], params);
            double[] mean = ChannelAffine.parameter("BatchNormalization", "mean", inputs[3], params);
            double[] var = ChannelAffine.parameter("BatchNormalization", "var", inputs[4], params);
            double[] a = new double[params];
            double[] b = new double[params];
            for (int c = 0; c < params; c++) {
                a[c] = scale[c] / Math.sqrt(var[c] + epsilon);
                b[c] = bias[c] - mean[c] * a[c];
            }
            return new Tensor[] {ChannelAffine.apply(x, batch, params, spatialSize, a, b, false, ctx.parallel())};
        };
    }
}
