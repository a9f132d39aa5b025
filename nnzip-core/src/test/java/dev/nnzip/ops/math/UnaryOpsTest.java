package dev.nnzip.ops.math;

import static dev.nnzip.ops.math.TensorAssert.assertFloats;
import static dev.nnzip.ops.math.TensorAssert.assertFloatsWithin;
import static dev.nnzip.ops.math.TensorAssert.assertLongs;
import static dev.nnzip.ops.math.TensorAssert.ints;
import static dev.nnzip.ops.math.TensorAssert.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

class UnaryOpsTest {
    private static Tensor f(float... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void basicFunctions() {
        assertFloats(OpHarness.op("Abs").run(f(-2, 0, 3)), shape(3), 2, 0, 3);
        assertFloats(OpHarness.op("Neg").run(f(-2, 0, 3)), shape(3), 2, -0f, -3);
        assertFloats(OpHarness.op("Sqrt").run(f(4, 2, -1)), shape(3), 2, 1.4142135f, Float.NaN);
        assertFloats(OpHarness.op("Reciprocal").run(f(4, -0.5f)), shape(2), 0.25f, -2);
        assertFloats(OpHarness.op("Floor").run(f(-1.5f, 1.5f)), shape(2), -2, 1);
        assertFloats(OpHarness.op("Ceil").run(f(-1.5f, 1.5f)), shape(2), -1, 2);
        assertFloats(OpHarness.op("Sign").run(f(-3, 0, 2, Float.NaN)), shape(4), -1, 0, 1, Float.NaN);
        assertFloatsWithin(OpHarness.op("Exp").run(f(0, 1)), shape(2), 1e-6f, 1, 2.7182817f);
        assertFloatsWithin(OpHarness.op("Log").run(f(1, 2.7182817f)), shape(2), 1e-6f, 0, 1);
        assertFloatsWithin(OpHarness.op("Sin").run(f(0, (float) Math.PI / 2)), shape(2), 1e-6f, 0, 1);
        assertFloatsWithin(OpHarness.op("Cos").run(f(0, (float) Math.PI)), shape(2), 1e-6f, 1, -1);
        assertFloatsWithin(OpHarness.op("Tanh").run(f(0, 20, -20)), shape(3), 1e-6f, 0, 1, -1);
    }

    @Test
    void roundIsHalfToEven() {
        assertFloats(OpHarness.op("Round").run(f(0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, 2.6f)), shape(7),
                0, 2, 2, -0f, -2, 2, 3);
    }

    @Test
    void integerAbsNegSignRelu() {
        Tensor x = ints(DType.INT8, new long[] {-128, -3, 0, 5}, 4);
        assertLongs(OpHarness.op("Abs").run(x), DType.INT8, shape(4), -128, 3, 0, 5); // |-128| wraps in int8
        assertLongs(OpHarness.op("Neg").run(x), DType.INT8, shape(4), -128, 3, 0, -5);
        assertLongs(OpHarness.op("Sign").run(x), DType.INT8, shape(4), -1, -1, 0, 1);
        assertLongs(OpHarness.op("Relu").opset(14).run(x), DType.INT8, shape(4), 0, 0, 0, 5);
    }

    @Test
    void floatOnlyOpsRejectIntegers() {
        assertThatThrownBy(() -> OpHarness.op("Sqrt").run(Tensor.vector(4)))
                .hasMessageContaining("Sqrt").hasMessageContaining("INT64");
    }

    @Test
    void sigmoidAndSoftplusAreStableAtTheExtremes() {
        assertFloatsWithin(OpHarness.op("Sigmoid").run(f(0, -1000, 1000, 2)), shape(4), 1e-7f,
                0.5f, 0, 1, 0.880797f);
        Tensor sp = OpHarness.op("Softplus").run(f(0, 1000, -1000, 1));
        assertFloatsWithin(sp, shape(4), 1e-5f, (float) Math.log(2), 1000, 0, 1.3132616f);
        assertFloats(OpHarness.op("Softsign").run(f(1, -3)), shape(2), 0.5f, -0.75f);
    }

    @Test
    void activationsWithAttributes() {
        Tensor x = f(-2, -0.5f, 0, 1.5f);
        assertFloats(OpHarness.op("Relu").run(x), shape(4), 0, 0, 0, 1.5f);
        assertFloats(OpHarness.op("LeakyRelu").run(x), shape(4), -0.02f, -0.005f, 0, 1.5f);
        assertFloats(OpHarness.op("LeakyRelu").attr("alpha", 0.5f).run(x), shape(4), -1, -0.25f, 0, 1.5f);
        assertFloatsWithin(OpHarness.op("Elu").attr("alpha", 2f).run(x), shape(4), 1e-6f,
                (float) (2 * Math.expm1(-2)), (float) (2 * Math.expm1(-0.5)), 0, 1.5f);
        double alpha = 1.67326319217681884765625;
        double gamma = 1.05070102214813232421875;
        assertFloatsWithin(OpHarness.op("Selu").run(x), shape(4), 1e-6f, (float) (gamma * alpha * Math.expm1(-2)),
                (float) (gamma * alpha * Math.expm1(-0.5)), 0, (float) (gamma * 1.5));
        assertFloatsWithin(OpHarness.op("Celu").attr("alpha", 2f).run(x), shape(4), 1e-6f,
                (float) (2 * Math.expm1(-1)), (float) (2 * Math.expm1(-0.25)), 0, 1.5f);
        assertFloats(OpHarness.op("HardSigmoid").run(x), shape(4), 0.1f, 0.4f, 0.5f, 0.8f);
        assertFloats(OpHarness.op("HardSigmoid").attr("alpha", 1f).attr("beta", 0f).run(x), shape(4), 0, 0, 0, 1);
        assertFloatsWithin(OpHarness.op("HardSwish").run(f(-4, -1, 0, 1, 4)), shape(5), 1e-6f,
                0, -1f / 3, 0, 2f / 3, 4);
    }

    @Test
    void geluExactAndTanhForms() {
        Tensor x = f(-3, -1, 0, 0.5f, 2);
        double[] exact = {-0.0040496, -0.15865525, 0, 0.34573123, 1.95449974};
        double[] tanh = {-0.00363739, -0.15880801, 0, 0.34571401, 1.95459769};
        Tensor g = OpHarness.op("Gelu").opset(20).run(x);
        Tensor t = OpHarness.op("Gelu").opset(20).attr("approximate", "tanh").run(x);
        for (int i = 0; i < exact.length; i++) {
            assertThat((double) g.floats()[i]).isCloseTo(exact[i], within(2e-6));
            assertThat((double) t.floats()[i]).isCloseTo(tanh[i], within(2e-6));
        }
        assertThatThrownBy(() -> OpHarness.op("Gelu").opset(20).attr("approximate", "fast").compile(1))
                .isInstanceOf(UnsupportedOperatorException.class).hasMessageContaining("'none' or 'tanh'");
    }

    @Test
    void preluBroadcastsTheSlopePerChannel() {
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4, -5, 6, -7, 8}, 1, 2, 2, 2);
        Tensor slope = Tensor.of(new float[] {0.5f, 2}, 2, 1, 1);
        assertFloats(OpHarness.op("PRelu").run(x, slope), shape(1, 2, 2, 2), -0.5f, 2, -1.5f, 4, -10, 6, -14, 8);
        Tensor wrong = Tensor.of(new float[] {1, 2, 3}, 3);
        assertThatThrownBy(() -> OpHarness.op("PRelu").run(x, wrong)).hasMessageContaining("does not broadcast");
    }

    @Test
    void float16InputsComputeInFloatAndRound() {
        Tensor x = Tensor.wrap(DType.FLOAT16, shape(2), new float[] {1, 2});
        Tensor e = OpHarness.op("Exp").run(x);
        assertThat(e.dtype()).isEqualTo(DType.FLOAT16);
        assertThat(e.floats()).containsExactly(HalfPrecision.toFloat16((float) Math.E),
                HalfPrecision.toFloat16((float) Math.exp(2)));
    }

    @Test
    void doubleInputsStayDouble() {
        Tensor x = Tensor.of(new double[] {0.5, -1}, 2);
        Tensor r = OpHarness.op("Erf").run(x);
        assertThat(r.dtype()).isEqualTo(DType.DOUBLE);
        assertThat(r.doubles()).containsExactly(new double[] {0.5204998778130465, -0.8427007929497149},
                within(1e-15));
    }

    @Test
    void isNaNAndIsInf() {
        Tensor x = f(1, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        TensorAssert.assertBooleans(OpHarness.op("IsNaN").run(x), shape(4), false, true, false, false);
        TensorAssert.assertBooleans(OpHarness.op("IsInf").run(x), shape(4), false, false, true, true);
        TensorAssert.assertBooleans(OpHarness.op("IsInf").attr("detect_negative", 0L).run(x), shape(4),
                false, false, true, false);
        TensorAssert.assertBooleans(OpHarness.op("IsInf").attr("detect_positive", 0L).run(x), shape(4),
                false, false, false, true);
    }
}
