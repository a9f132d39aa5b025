package dev.nnzip.ops.norm;

import static dev.nnzip.ops.math.TensorAssert.assertFloats;
import static dev.nnzip.ops.math.TensorAssert.assertFloatsWithin;
import static dev.nnzip.ops.math.TensorAssert.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.ops.math.OpHarness;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NormOpsTest {
    private static final float E1 = (float) (1 / (1 + Math.E));       // softmax([0, 1])[0]
    private static final float E2 = (float) (Math.E / (1 + Math.E));  // softmax([0, 1])[1]

    @Test
    void softmaxAlongTheLastAxisByDefault() {
        Tensor x = Tensor.of(new float[] {0, 1, 5, 6}, 2, 2);
        assertFloatsWithin(OpHarness.op("Softmax").opset(13).run(x), shape(2, 2), 1e-6f, E1, E2, E1, E2);
        assertFloatsWithin(OpHarness.op("Softmax").opset(13).attr("axis", 0L).run(x), shape(2, 2), 1e-6f,
                (float) (1 / (1 + Math.exp(5))), (float) (1 / (1 + Math.exp(5))),
                (float) (1 / (1 + Math.exp(-5))), (float) (1 / (1 + Math.exp(-5))));
    }

    @Test
    void softmaxBeforeOpset13FlattensFromTheAxis() {
        // [1, 2, 2] with axis=1: opset 11 normalizes all 4 values together, opset 13 each column of 2
        Tensor x = Tensor.of(new float[] {0, 0, 0, 0}, 1, 2, 2);
        assertFloats(OpHarness.op("Softmax").opset(11).attr("axis", 1L).run(x), shape(1, 2, 2), 0.25f, 0.25f, 0.25f,
                0.25f);
        assertFloats(OpHarness.op("Softmax").opset(13).attr("axis", 1L).run(x), shape(1, 2, 2), 0.5f, 0.5f, 0.5f,
                0.5f);
        // legacy default axis is 1, the new default -1
        Tensor y = Tensor.of(new float[] {0, 1, 0, 1}, 1, 2, 2);
        assertFloatsWithin(OpHarness.op("Softmax").opset(11).run(y), shape(1, 2, 2), 1e-6f,
                E1 / 2, E2 / 2, E1 / 2, E2 / 2);
    }

    @Test
    void softmaxAndLogSoftmaxAreStableForLargeInputs() {
        Tensor x = Tensor.of(new float[] {10000, 10001, -10000}, 3);
        Tensor s = OpHarness.op("Softmax").opset(13).run(x);
        assertFloatsWithin(s, shape(3), 1e-6f, E1, E2, 0);
        Tensor l = OpHarness.op("LogSoftmax").opset(13).run(x);
        assertFloatsWithin(l, shape(3), 1e-3f, (float) Math.log(E1), (float) Math.log(E2), -20001 + (float) Math.log(E2));
    }

    @Test
    void softmaxOnDoubleAndFloat16() {
        Tensor d = Tensor.of(new double[] {0, 1}, 2);
        Tensor r = OpHarness.op("Softmax").opset(13).run(d);
        assertThat(r.dtype()).isEqualTo(DType.DOUBLE);
        assertThat(r.doubles()).containsExactly(new double[] {1 / (1 + Math.E), Math.E / (1 + Math.E)}, within(1e-15));
        Tensor h = Tensor.wrap(DType.FLOAT16, shape(2), new float[] {0, 1});
        Tensor rh = OpHarness.op("Softmax").opset(13).run(h);
        assertThat(rh.dtype()).isEqualTo(DType.FLOAT16);
        assertThat(rh.floats()[0]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(E1)));
    }

    @Test
    void batchNormalizationInference() {
        // x [1, 2, 2]: channel 0 = {1, 3}, channel 1 = {2, 4}
        Tensor x = Tensor.of(new float[] {1, 3, 2, 4}, 1, 2, 2);
        Tensor scale = Tensor.of(new float[] {2, 1}, 2);
        Tensor bias = Tensor.of(new float[] {0, 10}, 2);
        Tensor mean = Tensor.of(new float[] {1, 2}, 2);
        Tensor var = Tensor.of(new float[] {4, 1}, 2);
        Tensor y = OpHarness.op("BatchNormalization").opset(15).attr("epsilon", 0f).run(x, scale, bias, mean, var);
        assertFloats(y, shape(1, 2, 2), 0, 2, 10, 12);
    }

    @Test
    void batchNormalizationTrainingIsRefusedAtLoad() {
        assertThatThrownBy(() -> OpHarness.op("BatchNormalization").opset(15).attr("training_mode", 1L).compile(5))
                .isInstanceOf(UnsupportedOperatorException.class).hasMessageContaining("training_mode");
        assertThatThrownBy(() -> OpHarness.op("BatchNormalization").opset(9).outputs(3).compile(5))
                .isInstanceOf(UnsupportedOperatorException.class).hasMessageContaining("training outputs");
    }

    @Test
    void layerNormalizationOverTheLastAxisWithStatistics() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 2, 2, 2, 2}, 2, 4);
        Tensor scale = Tensor.of(new float[] {1, 1, 2, 2}, 4);
        Tensor bias = Tensor.of(new float[] {0, 0, 0, 1}, 4);
        Tensor[] out = OpHarness.op("LayerNormalization").opset(17).attr("epsilon", 0f).outputs(3)
                .runAll(x, scale, bias);
        float s = (float) (1 / Math.sqrt(1.25)); // row 0: mean 2.5, variance 1.25
        // row 1 is constant: with epsilon 0 the spec's (x - mean) * InvStdDev is 0 * inf = NaN
        assertFloatsWithin(out[0], shape(2, 4), 1e-6f, -1.5f * s, -0.5f * s, 2 * 0.5f * s, 2 * 1.5f * s + 1,
                Float.NaN, Float.NaN, Float.NaN, Float.NaN);
        assertThat(out[1].shape()).containsExactly(2, 1);
        assertThat(out[1].floats()).containsExactly(2.5f, 2f);
        assertThat(out[2].floats()[0]).isCloseTo(s, within(1e-6f));
        assertThat(out[2].floats()[1]).isEqualTo(Float.POSITIVE_INFINITY); // zero variance, epsilon 0
    }

    @Test
    void layerNormalizationOverSeveralAxesWithoutBias() {
        Tensor x = Tensor.of(new float[] {1, 3, 5, 7, 0, 0, 0, 0}, 2, 2, 2);
        Tensor scale = Tensor.of(new float[] {1}, 1); // broadcasts to the normalized shape [2, 2]
        Tensor[] out = OpHarness.op("LayerNormalization").opset(17).attr("axis", 1L).attr("epsilon", 0f).outputs(2)
                .runAll(x, scale);
        float s = (float) (1 / Math.sqrt(5)); // mean 4, variance 5
        assertFloatsWithin(out[0], shape(2, 2, 2), 1e-6f, -3 * s, -s, s, 3 * s, Float.NaN, Float.NaN, Float.NaN,
                Float.NaN);
        assertThat(out[1].shape()).containsExactly(2, 1, 1);
        assertThat(out).hasSize(3);
        assertThat(out[2]).isNull();
    }

    @Test
    void instanceNormalizationPerSampleAndChannel() {
        Tensor x = Tensor.of(new float[] {1, 3, 10, 30, 0, 4, -1, 1}, 2, 2, 2);
        Tensor scale = Tensor.of(new float[] {1, 2}, 2);
        Tensor bias = Tensor.of(new float[] {0, 5}, 2);
        Tensor y = OpHarness.op("InstanceNormalization").attr("epsilon", 0f).run(x, scale, bias);
        assertFloatsWithin(y, shape(2, 2, 2), 1e-6f, -1, 1, 3, 7, -1, 1, 3, 7);
    }

    @Test
    void lpNormalization() {
        Tensor x = Tensor.of(new float[] {3, 4, 0, 0, -1, 1}, 3, 2);
        assertFloatsWithin(OpHarness.op("LpNormalization").run(x), shape(3, 2), 1e-6f,
                0.6f, 0.8f, 0, 0, -0.70710677f, 0.70710677f);
        assertFloatsWithin(OpHarness.op("LpNormalization").attr("p", 1L).attr("axis", 0L).run(x), shape(3, 2),
                1e-6f, 0.75f, 0.8f, 0, 0, -0.25f, 0.2f);
        assertThatThrownBy(() -> OpHarness.op("LpNormalization").attr("p", 3L).compile(1))
                .isInstanceOf(UnsupportedOperatorException.class).hasMessageContaining("expected 1 or 2");
    }
}
