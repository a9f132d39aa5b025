package dev.nnzip.ops.math;

import static dev.nnzip.ops.math.TensorAssert.assertBooleans;
import static dev.nnzip.ops.math.TensorAssert.assertFloats;
import static dev.nnzip.ops.math.TensorAssert.assertLongs;
import static dev.nnzip.ops.math.TensorAssert.ints;
import static dev.nnzip.ops.math.TensorAssert.shape;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ComparisonLogicTest {
    @Test
    void comparisonsBroadcastAndTreatNaNAsUnordered() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, Float.NaN}, 4);
        Tensor b = Tensor.of(new float[] {2}, 1);
        assertBooleans(OpHarness.op("Less").run(a, b), shape(4), true, false, false, false);
        assertBooleans(OpHarness.op("Greater").run(a, b), shape(4), false, false, true, false);
        assertBooleans(OpHarness.op("Equal").run(a, b), shape(4), false, true, false, false);
        assertBooleans(OpHarness.op("LessOrEqual").run(a, b), shape(4), true, true, false, false);
        assertBooleans(OpHarness.op("GreaterOrEqual").run(a, b), shape(4), false, true, true, false);
        assertBooleans(OpHarness.op("Equal").run(a, a), shape(4), true, true, true, false);
    }

    @Test
    void integerComparisonsRespectUnsigned() {
        Tensor big = ints(DType.UINT64, new long[] {-1L}, 1); // 2^64 - 1
        Tensor one = ints(DType.UINT64, new long[] {1}, 1);
        assertBooleans(OpHarness.op("Greater").run(big, one), shape(1), true);
        Tensor neg = ints(DType.INT64, new long[] {-1L}, 1);
        assertBooleans(OpHarness.op("Greater").run(neg, ints(DType.INT64, new long[] {1}, 1)), shape(1), false);
    }

    @Test
    void equalOnBoolsAndStrings() {
        Tensor a = Tensor.of(new boolean[] {true, false}, 2);
        assertBooleans(OpHarness.op("Equal").run(a, Tensor.of(new boolean[] {true}, 1)), shape(2), true, false);
        Tensor s = Tensor.wrap(DType.STRING, shape(2), new String[] {"x", "y"});
        Tensor t = Tensor.wrap(DType.STRING, shape(2), new String[] {"x", "z"});
        assertBooleans(OpHarness.op("Equal").opset(19).run(s, t), shape(2), true, false);
        assertThatThrownBy(() -> OpHarness.op("Less").run(a, a)).hasMessageContaining("does not compare BOOL");
    }

    @Test
    void logicalOpsBroadcast() {
        Tensor a = Tensor.of(new boolean[] {true, true, false, false}, 2, 2);
        Tensor b = Tensor.of(new boolean[] {true, false}, 2);
        assertBooleans(OpHarness.op("And").run(a, b), shape(2, 2), true, false, false, false);
        assertBooleans(OpHarness.op("Or").run(a, b), shape(2, 2), true, true, true, false);
        assertBooleans(OpHarness.op("Xor").run(a, b), shape(2, 2), false, true, true, false);
        assertBooleans(OpHarness.op("Not").run(b), shape(2), false, true);
        assertThatThrownBy(() -> OpHarness.op("And").run(Tensor.scalar(1f), Tensor.scalar(1f)))
                .hasMessageContaining("And does not support FLOAT");
    }

    @Test
    void whereBroadcastsAllThreeInputs() {
        Tensor c = Tensor.of(new boolean[] {true, false}, 2, 1);          // [2,1]
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);                    // [3]
        Tensor y = Tensor.of(new float[] {-1}, 1, 1);                      // [1,1]
        assertFloats(OpHarness.op("Where").run(c, x, y), shape(2, 3), 1, 2, 3, -1, -1, -1);
        Tensor xi = ints(DType.INT64, new long[] {1, 2}, 2);
        Tensor yi = ints(DType.INT64, new long[] {9, 8}, 2);
        Tensor ci = Tensor.of(new boolean[] {false, true}, 2);
        assertLongs(OpHarness.op("Where").run(ci, xi, yi), DType.INT64, shape(2), 9, 2);
        assertThatThrownBy(() -> OpHarness.op("Where").run(x, x, x)).hasMessageContaining("condition must be bool");
    }

    @Test
    void clipWithAttributesBeforeOpset11AndInputsAfter() {
        Tensor x = Tensor.of(new float[] {-3, 0.5f, 4, Float.NaN}, 4);
        assertFloats(OpHarness.op("Clip").opset(6).attr("min", -1f).attr("max", 1f).run(x), shape(4),
                -1, 0.5f, 1, Float.NaN);
        assertFloats(OpHarness.op("Clip").opset(13).run(x, Tensor.of(new float[] {0}), null), shape(4),
                0, 0.5f, 4, Float.NaN);
        assertFloats(OpHarness.op("Clip").opset(13).run(x, null, Tensor.of(new float[] {0}, new int[0])), shape(4),
                -3, 0, 0, Float.NaN);
        // min > max: everything becomes max, as the spec says
        assertFloats(OpHarness.op("Clip").opset(13).run(x, Tensor.scalar(2f), Tensor.scalar(1f)), shape(4),
                1, 1, 1, Float.NaN);
    }

    @Test
    void clipOnIntegersUsesTheTypeRangeForAbsentBounds() {
        Tensor x = ints(DType.INT8, new long[] {-128, 5, 127}, 3);
        Tensor lo = ints(DType.INT8, new long[] {0}, new int[0]);
        assertLongs(OpHarness.op("Clip").opset(13).run(x, lo), DType.INT8, shape(3), 0, 5, 127);
        assertThatThrownBy(() -> OpHarness.op("Clip").opset(13).run(x, Tensor.vector(1, 2)))
                .hasMessageContaining("must be a scalar");
    }
}
