package dev.nnzip.ops.reduce;

import static dev.nnzip.ops.math.TensorAssert.assertFloats;
import static dev.nnzip.ops.math.TensorAssert.assertFloatsWithin;
import static dev.nnzip.ops.math.TensorAssert.assertLongs;
import static dev.nnzip.ops.math.TensorAssert.ints;
import static dev.nnzip.ops.math.TensorAssert.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.math.OpHarness;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ReduceOpsTest {
    /** [2, 3, 2] holding 1..12. */
    private static Tensor x() {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i + 1;
        }
        return Tensor.of(v, 2, 3, 2);
    }

    @Test
    void axesAttributeBeforeOpset18() {
        Tensor r = OpHarness.op("ReduceMean").opset(13).attrInts("axes", 1L).run(x());
        assertFloats(r, shape(2, 1, 2), 3, 4, 9, 10);
        Tensor s = OpHarness.op("ReduceSum").opset(11).attrInts("axes", 0L, 2L).attr("keepdims", 0L).run(x());
        assertFloats(s, shape(3), 1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12);
    }

    @Test
    void axesInputFromOpset13ForSumAnd18ForTheOthers() {
        Tensor axes = Tensor.vector(-1);
        assertFloats(OpHarness.op("ReduceSum").opset(13).attr("keepdims", 0L).run(x(), axes), shape(2, 3),
                3, 7, 11, 15, 19, 23);
        assertFloats(OpHarness.op("ReduceMax").opset(18).run(x(), Tensor.vector(0, 1)), shape(1, 1, 2), 11, 12);
        assertThatThrownBy(() -> OpHarness.op("ReduceMean").opset(18).attrInts("axes", 1L).compile(1))
                .hasMessageContaining("second input");
    }

    @Test
    void absentAxesReduceEverythingUnlessNoop() {
        assertFloats(OpHarness.op("ReduceSum").opset(13).run(x()), shape(1, 1, 1), 78);
        assertFloats(OpHarness.op("ReduceSum").opset(13).attr("keepdims", 0L).run(x(), Tensor.vector()), shape(),
                78);
        Tensor same = OpHarness.op("ReduceSum").opset(13).attr("noop_with_empty_axes", 1L).run(x(), Tensor.vector());
        assertThat(same.shape()).containsExactly(2, 3, 2);
        assertThat(same.floats()).containsExactly(x().floats());
        assertFloats(OpHarness.op("ReduceMin").opset(13).attr("keepdims", 0L).run(x()), shape(), 1);
    }

    @Test
    void everyReducerOnOneRow() {
        Tensor row = Tensor.of(new float[] {1, -2, 3}, 1, 3);
        assertFloats(reduce("ReduceSum", row), shape(1), 2);
        assertFloats(reduce("ReduceMean", row), shape(1), 2f / 3);
        assertFloats(reduce("ReduceMax", row), shape(1), 3);
        assertFloats(reduce("ReduceMin", row), shape(1), -2);
        assertFloats(reduce("ReduceProd", row), shape(1), -6);
        assertFloats(reduce("ReduceL1", row), shape(1), 6);
        assertFloats(reduce("ReduceL2", row), shape(1), (float) Math.sqrt(14));
        assertFloats(reduce("ReduceSumSquare", row), shape(1), 14);
        assertFloatsWithin(reduce("ReduceLogSumExp", row), shape(1), 1e-6f,
                (float) Math.log(Math.exp(1) + Math.exp(-2) + Math.exp(3)));
    }

    private static Tensor reduce(String op, Tensor row) {
        return OpHarness.op(op).opset(11).attrInts("axes", 1L).attr("keepdims", 0L).run(row);
    }

    @Test
    void logSumExpDoesNotOverflow() {
        Tensor big = Tensor.of(new float[] {1000, 1000}, 2);
        assertFloatsWithin(OpHarness.op("ReduceLogSumExp").opset(13).run(big), shape(1), 1e-3f,
                1000 + (float) Math.log(2));
        Tensor minusInf = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2);
        assertFloats(OpHarness.op("ReduceLogSumExp").opset(13).run(minusInf), shape(1), Float.NEGATIVE_INFINITY);
    }

    @Test
    void emptyReductionsGiveTheIdentity() {
        Tensor empty = Tensor.of(new float[0], 2, 0);
        Tensor axes = Tensor.vector(1);
        assertFloats(OpHarness.op("ReduceSum").opset(18).run(empty, axes), shape(2, 1), 0, 0);
        assertFloats(OpHarness.op("ReduceProd").opset(18).run(empty, axes), shape(2, 1), 1, 1);
        assertFloats(OpHarness.op("ReduceMax").opset(18).run(empty, axes), shape(2, 1),
                Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertFloats(OpHarness.op("ReduceMin").opset(18).run(empty, axes), shape(2, 1),
                Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    @Test
    void integerReductions() {
        Tensor v = ints(DType.INT32, new long[] {5, -7, 2, 9}, 2, 2);
        assertLongs(OpHarness.op("ReduceSum").opset(13).attr("keepdims", 0L).run(v, Tensor.vector(1)), DType.INT32,
                shape(2), -2, 11);
        assertLongs(OpHarness.op("ReduceMax").opset(13).attrInts("axes", 0L).run(v), DType.INT32, shape(1, 2), 5, 9);
        assertLongs(OpHarness.op("ReduceMean").opset(13).attrInts("axes", 1L).run(v), DType.INT32, shape(2, 1), -1, 5);
        Tensor bytes = ints(DType.UINT8, new long[] {200, 100}, 2);
        assertLongs(OpHarness.op("ReduceSum").opset(13).run(bytes), DType.UINT8, shape(1), 44); // wraps as uint8
    }

    @Test
    void boolMaxAndMinAreAnyAndAll() {
        Tensor b = Tensor.of(new boolean[] {true, false, false, false}, 2, 2);
        dev.nnzip.ops.math.TensorAssert.assertBooleans(
                OpHarness.op("ReduceMax").opset(20).attr("keepdims", 0L).run(b, Tensor.vector(1)), shape(2), true,
                false);
        dev.nnzip.ops.math.TensorAssert.assertBooleans(
                OpHarness.op("ReduceMin").opset(20).attr("keepdims", 0L).run(b, Tensor.vector(0)), shape(2), false,
                false);
        assertThatThrownBy(() -> OpHarness.op("ReduceSum").opset(13).run(b)).hasMessageContaining("got BOOL");
    }

    @Test
    void duplicateAndOutOfRangeAxesAreErrors() {
        assertThatThrownBy(() -> OpHarness.op("ReduceSum").opset(13).run(x(), Tensor.vector(1, -2)))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> OpHarness.op("ReduceSum").opset(13).run(x(), Tensor.vector(3)))
                .hasMessageContaining("out of range");
    }

    @Test
    void parallelReductionEqualsSequential() {
        float[] v = new float[64 * 1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i);
        }
        Tensor t = Tensor.of(v, 64, 1000);
        Tensor seq = OpHarness.op("ReduceMean").opset(13).attrInts("axes", 0L).run(t);
        try (Parallel p = new Parallel(2)) {
            Tensor par = OpHarness.op("ReduceMean").opset(13).attrInts("axes", 0L).context(new ExecContext(p)).run(t);
            assertThat(par.floats()).containsExactly(seq.floats());
        }
        double expected = 0;
        for (int r = 0; r < 64; r++) {
            expected += v[r * 1000 + 7];
        }
        assertThat((double) seq.floats()[7]).isCloseTo(expected / 64, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void argMaxAndArgMin() {
        Tensor t = Tensor.of(new float[] {2, 1, 9, 9, 3, 0}, 2, 3);
        assertLongs(OpHarness.op("ArgMax").opset(13).attr("axis", 1L).run(t), DType.INT64, shape(2, 1), 2, 0);
        assertLongs(OpHarness.op("ArgMax").opset(13).attr("axis", -1L).attr("keepdims", 0L)
                .attr("select_last_index", 1L).run(t), DType.INT64, shape(2), 2, 0);
        assertLongs(OpHarness.op("ArgMin").opset(13).run(t), DType.INT64, shape(1, 3), 0, 0, 1);
        Tensor ties = Tensor.of(new float[] {4, 4, 1, 4}, 4);
        assertLongs(OpHarness.op("ArgMax").opset(13).attr("keepdims", 0L).run(ties), DType.INT64, shape(), 0);
        assertLongs(OpHarness.op("ArgMax").opset(13).attr("keepdims", 0L).attr("select_last_index", 1L).run(ties),
                DType.INT64, shape(), 3);
        Tensor nan = Tensor.of(new float[] {1, Float.NaN, 5}, 3);
        assertLongs(OpHarness.op("ArgMin").opset(13).run(nan), DType.INT64, shape(1), 1);
        assertLongs(OpHarness.op("ArgMax").opset(13).run(ints(DType.UINT64, new long[] {1, -1L}, 2)), DType.INT64,
                shape(1), 1);
    }
}
