package dev.nnzip.compress.bias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.nnzip.TestModels;
import dev.nnzip.graph.Graph;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The data-free statistics: traced from BatchNormalization through Clip, GlobalAveragePool and Flatten, never guessed. */
class BatchNormInputMeansTest {
    private static final float[] GAMMA = {1.0f, 0.5f, -2.0f, 0.1f};
    private static final float[] BETA = {0.3f, -1.0f, 2.0f, 7.0f};

    /**
     * x → conv1 (1×1) → BN → Clip(0, 6) → conv2 (3×3, pad 1) → y, and the Clip output → GlobalAveragePool → Flatten →
     * Gemm → z.
     */
    private static ModelProto model() {
        AttributeProto pads = AttributeProto.newBuilder().setName("pads").setType(AttributeProto.AttributeType.INTS)
                .addInts(1).addInts(1).addInts(1).addInts(1).build();
        return TestModels.create().input("x", DType.FLOAT, -1, 3, 4, 4)
                .output("y", DType.FLOAT, -1, 5, 4, 4).output("z", DType.FLOAT, -1, 6)
                .weight("w1", Tensor.zeros(DType.FLOAT, 4, 3, 1, 1)).weight("w2", Tensor.zeros(DType.FLOAT, 5, 4, 3, 3))
                .weight("w3", Tensor.zeros(DType.FLOAT, 4, 6))
                .weight("gamma", Tensor.of(GAMMA, 4)).weight("beta", Tensor.of(BETA, 4))
                .weight("mean", Tensor.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 4))
                .weight("var", Tensor.of(new float[] {2, 2, 2, 2}, 4))
                .weight("lo", Tensor.of(new float[] {0})).weight("hi", Tensor.of(new float[] {6}))
                .node("Conv", "conv1", new String[] {"x", "w1"}, new String[] {"h"})
                .node("BatchNormalization", "bn", new String[] {"h", "gamma", "beta", "mean", "var"},
                        new String[] {"n"})
                .node("Clip", "relu6", new String[] {"n", "lo", "hi"}, new String[] {"a"})
                .node("Conv", "conv2", new String[] {"a", "w2"}, new String[] {"y"}, pads)
                .node("GlobalAveragePool", "gap", new String[] {"a"}, new String[] {"p"})
                .node("Flatten", "flat", new String[] {"p"}, new String[] {"f"})
                .node("Gemm", "fc", new String[] {"f", "w3"}, new String[] {"z"})
                .build();
    }

    @Test
    void meansComeFromTheClippedNormalOfEachBatchNormChannelAndThePaddingFraction() {
        ModelProto proto = model();
        Graph graph = OnnxImporter.convert(proto);
        List<CorrectableLayer> layers = CorrectableLayers.find(proto, graph, Set.of("w1", "w2", "w3"));
        assertThat(layers).extracting(CorrectableLayer::output).containsExactly("h", "y", "z");
        Map<String, double[]> means = new BatchNormInputMeans(graph, 1).of(graph, layers);
        assertThat(means).as("conv1 reads the model's input: nothing to trace").doesNotContainKey("h");
        double[] channel = new double[4];
        for (int c = 0; c < 4; c++) {
            channel[c] = BatchNormInputMeans.clippedNormalMean(BETA[c], Math.abs(GAMMA[c]), 0, 6);
        }
        assertThat(channel[3]).as("β = 7 > 6 with σ = 0.1: clipped to nearly 6").isCloseTo(6, within(1e-6));
        // 3x3 taps over a 4x4 map with padding 1: a corner tap reads the image at 3 of 4 rows and 3 of 4 columns
        double[] inside = {9 / 16.0, 12 / 16.0, 9 / 16.0, 12 / 16.0, 1, 12 / 16.0, 9 / 16.0, 12 / 16.0, 9 / 16.0};
        double[] conv2 = means.get("y");
        assertThat(conv2).hasSize(4 * 9);
        for (int c = 0; c < 4; c++) {
            for (int t = 0; t < 9; t++) {
                assertThat(conv2[c * 9 + t]).isCloseTo(channel[c] * inside[t], within(1e-12));
            }
        }
        assertThat(means.get("z")).containsExactly(channel, within(1e-12));
    }
}
