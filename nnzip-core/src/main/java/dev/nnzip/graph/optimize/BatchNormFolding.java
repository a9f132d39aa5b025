package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.tensor.Tensor;
import java.util.List;

/**
 * Folds an inference-mode BatchNormalization that follows a Conv into the Conv's weights and bias (Ioffe and Szegedy,
 * 2015, applied after training): BN computes {@code (y − mean) · scale / sqrt(var + eps) + B} per channel, which for
 * {@code y = W∗x + b} is the convolution with {@code W'[m] = W[m] · f[m]} and {@code b'[m] = (b[m] − mean[m]) · f[m] +
 * B[m]}, {@code f = scale / sqrt(var + eps)}. Computed in double, so the folded model differs only by float rounding.
 *
 * <p>Applies when the Conv's output feeds only the BN, every parameter (W, optional b, scale, B, mean, var) is a
 * float32 weight no caller can override, and the BN is in inference mode with a single output.
 *
 * <p>Memory: only the per-channel parameters are decoded here. The filter is folded on decode
 * ({@link ScaledChannelsWeight}), so a compressed filter stays compressed and follows the session's memory mode.
 */
final class BatchNormFolding implements GraphPass {
    @Override
    public String name() {
        return "fold BatchNormalization into Conv";
    }

    @Override
    public Graph apply(Graph graph) {
        GraphIndex index = new GraphIndex(graph);
        Rewrite rw = new Rewrite(index);
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node bn = nodes.get(i);
            if (!Ops.is(bn, "BatchNormalization") || !inferenceMode(bn)) {
                continue;
            }
            String y = bn.input(0);
            int p = index.producerOf(y);
            if (p < 0 || !Ops.is(nodes.get(p), "Conv") || !index.hasSingleConsumer(y) || !rw.free(p, i)) {
                continue;
            }
            Node conv = nodes.get(p);
            String w = conv.input(1);
            String b = conv.input(2);
            boolean paramsConstant = index.isFloatConstant(w) && (b.isEmpty() || index.isFloatConstant(b));
            for (int k = 1; k <= 4; k++) {
                paramsConstant &= index.isFloatConstant(bn.input(k));
            }
            if (!paramsConstant) {
                continue;
            }
            int[] wShape = index.constantShape(w);
            int m = wShape.length == 0 ? 0 : wShape[0];
            Tensor scale = index.constant(bn.input(1));
            Tensor shift = index.constant(bn.input(2));
            Tensor mean = index.constant(bn.input(3));
            Tensor var = index.constant(bn.input(4));
            Tensor bias = b.isEmpty() ? null : index.constant(b);
            if (scale.size() != m || shift.size() != m || mean.size() != m || var.size() != m
                    || (bias != null && bias.size() != m)) {
                continue; // malformed; leave it for the operators to report
            }
            double eps = bn.attributes().getFloat("epsilon", 1e-5f);
            double[] factors = new double[m];
            float[] bd = new float[m];
            for (int c = 0; c < m; c++) {
                double f = scale.floats()[c] / Math.sqrt((double) var.floats()[c] + eps);
                factors[c] = f;
                double b0 = bias == null ? 0 : bias.floats()[c];
                bd[c] = (float) ((b0 - mean.floats()[c]) * f + shift.floats()[c]);
            }
            String wName = rw.addWeight(w + "_bn_folded",
                    name -> new ScaledChannelsWeight(name, index.graph().weights().get(w), factors));
            String bName = rw.addWeight((b.isEmpty() ? w + "_bias" : b) + "_bn_folded", Tensor.of(bd, m));
            Node fused = new Node(conv.name(), conv.opType(), conv.domain(), List.of(conv.input(0), wName, bName),
                    List.of(bn.outputs().get(0)), conv.attributes());
            rw.fuse(fused, p, i);
        }
        return rw.build();
    }

    /** Inference mode (training_mode 0, per-channel "spatial" statistics) and no running-statistics outputs. */
    private static boolean inferenceMode(Node bn) {
        if (bn.attributes().getInt("training_mode", 0) != 0 || bn.attributes().getInt("spatial", 1) != 1) {
            return false;
        }
        for (int k = 1; k < bn.outputs().size(); k++) {
            if (!bn.outputs().get(k).isEmpty()) {
                return false;
            }
        }
        return bn.inputs().size() >= 5 && !bn.outputs().isEmpty();
    }
}
