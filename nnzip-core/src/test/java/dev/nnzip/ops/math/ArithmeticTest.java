package dev.nnzip.ops.math;

import static dev.nnzip.ops.math.TensorAssert.assertFloats;
import static dev.nnzip.ops.math.TensorAssert.assertFloatsWithin;
import static dev.nnzip.ops.math.TensorAssert.assertLongs;
import static dev.nnzip.ops.math.TensorAssert.ints;
import static dev.nnzip.ops.math.TensorAssert.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
    private static Tensor f(float[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    @Test
    void addBroadcastsARowAcrossAMatrix() {
        Tensor a = f(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = f(new float[] {10, 20, 30}, 3);
        assertFloats(OpHarness.op("Add").run(a, b), shape(2, 3), 11, 22, 33, 14, 25, 36);
    }

    @Test
    void subBroadcastsBothWays() {
        // [2,1] - [1,3] -> [2,3]
        Tensor a = f(new float[] {10, 20}, 2, 1);
        Tensor b = f(new float[] {1, 2, 3}, 1, 3);
        assertFloats(OpHarness.op("Sub").run(a, b), shape(2, 3), 9, 8, 7, 19, 18, 17);
        assertFloats(OpHarness.op("Sub").run(b, a), shape(2, 3), -9, -8, -7, -19, -18, -17);
    }

    @Test
    void mulAndDivWithAScalarOnEitherSide() {
        Tensor x = f(new float[] {1, 2, 4}, 3);
        Tensor two = f(new float[] {2}, new int[0]);
        assertFloats(OpHarness.op("Mul").run(two, x), shape(3), 2, 4, 8);
        assertFloats(OpHarness.op("Div").run(x, two), shape(3), 0.5f, 1, 2);
        assertFloats(OpHarness.op("Div").run(two, x), shape(3), 2, 1, 0.5f);
    }

    @Test
    void generalBroadcastOfThreeDims() {
        // [2,1,3] * [1,2,1] -> [2,2,3]
        Tensor a = f(new float[] {1, 2, 3, 4, 5, 6}, 2, 1, 3);
        Tensor b = f(new float[] {1, -1}, 1, 2, 1);
        assertFloats(OpHarness.op("Mul").run(a, b), shape(2, 2, 3), 1, 2, 3, -1, -2, -3, 4, 5, 6, -4, -5, -6);
    }

    @Test
    void integerDivisionTruncatesTowardZero() {
        Tensor a = ints(DType.INT32, new long[] {7, -7, 7, -7}, 4);
        Tensor b = ints(DType.INT32, new long[] {2, 2, -2, -2}, 4);
        assertLongs(OpHarness.op("Div").run(a, b), DType.INT32, shape(4), 3, -3, -3, 3);
    }

    @Test
    void integerDivisionByZeroIsAnError() {
        Tensor a = ints(DType.INT64, new long[] {1}, 1);
        Tensor z = ints(DType.INT64, new long[] {0}, 1);
        assertThatThrownBy(() -> OpHarness.op("Div").run(a, z)).hasMessageContaining("division by zero");
    }

    @Test
    void narrowIntegersWrapAround() {
        Tensor a = ints(DType.UINT8, new long[] {250, 3}, 2);
        Tensor b = ints(DType.UINT8, new long[] {10, 5}, 2);
        assertLongs(OpHarness.op("Add").run(a, b), DType.UINT8, shape(2), 4, 8);
        assertLongs(OpHarness.op("Sub").run(b, a), DType.UINT8, shape(2), 16, 2);
        Tensor big = ints(DType.INT32, new long[] {Integer.MAX_VALUE}, 1);
        Tensor one = ints(DType.INT32, new long[] {1}, 1);
        assertLongs(OpHarness.op("Add").run(big, one), DType.INT32, shape(1), Integer.MIN_VALUE);
    }

    @Test
    void uint64DividesAndComparesUnsigned() {
        long max = -1L; // 2^64 - 1
        Tensor a = ints(DType.UINT64, new long[] {max}, 1);
        Tensor b = ints(DType.UINT64, new long[] {2}, 1);
        assertLongs(OpHarness.op("Div").run(a, b), DType.UINT64, shape(1), Long.MAX_VALUE);
        assertLongs(OpHarness.op("Max").run(a, b), DType.UINT64, shape(1), max);
    }

    @Test
    void float16ResultsAreRoundedToHalfPrecision() {
        Tensor a = Tensor.wrap(DType.FLOAT16, shape(1), new float[] {1});
        Tensor b = Tensor.wrap(DType.FLOAT16, shape(1), new float[] {Float.float16ToFloat((short) 0x0001)});
        Tensor sum = OpHarness.op("Add").run(a, b); // 1 + 2^-24 is not representable in half: rounds back to 1
        assertThat(sum.dtype()).isEqualTo(DType.FLOAT16);
        assertThat(sum.floats()).containsExactly(1f);
    }

    @Test
    void mixedTypesAreRejected() {
        assertThatThrownBy(() -> OpHarness.op("Add").run(Tensor.scalar(1f), Tensor.scalar(1L)))
                .hasMessageContaining("same element type").hasMessageContaining("FLOAT").hasMessageContaining("INT64");
    }

    @Test
    void legacyBroadcastAlignsBAtTheAxis() {
        // opset 6: Add(A[2,3,2], B[3], broadcast=1, axis=1) adds B along dim 1
        Tensor a = f(new float[12], 2, 3, 2);
        Tensor b = f(new float[] {1, 2, 3}, 3);
        Tensor r = OpHarness.op("Add").opset(6).attr("broadcast", 1L).attr("axis", 1L).run(a, b);
        assertFloats(r, shape(2, 3, 2), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
    }

    @Test
    void powHandlesMixedTypes() {
        Tensor base = ints(DType.INT64, new long[] {1, 2, 3}, 3);
        Tensor fexp = f(new float[] {4, 5, 6}, 3);
        assertLongs(OpHarness.op("Pow").opset(15).run(base, fexp), DType.INT64, shape(3), 1, 32, 729);
        Tensor iexp = ints(DType.INT32, new long[] {2, 3, 0}, 3);
        assertLongs(OpHarness.op("Pow").opset(15).run(base, iexp), DType.INT64, shape(3), 1, 8, 1);
        Tensor fbase = f(new float[] {2, 9, -3}, 3);
        assertFloats(OpHarness.op("Pow").opset(15).run(fbase, ints(DType.INT64, new long[] {3, 0, 2}, 3)),
                shape(3), 8, 1, 9);
        assertFloats(OpHarness.op("Pow").run(fbase, f(new float[] {0.5f}, 1)), shape(3), 1.4142135f, 3, Float.NaN);
    }

    @Test
    void integerPowWithNegativeExponentTruncates() {
        assertThat(PowOp.integerPow(2, -1)).isZero();
        assertThat(PowOp.integerPow(1, -5)).isEqualTo(1);
        assertThat(PowOp.integerPow(-1, -3)).isEqualTo(-1);
        assertThat(PowOp.integerPow(-2, 5)).isEqualTo(-32);
        assertThat(PowOp.integerPow(3, 40)).isEqualTo(3L * 4052555153018976267L); // wraps mod 2^64, as numpy does
    }

    @Test
    void modFollowsTheDivisorSignUnlessFmod() {
        Tensor a = ints(DType.INT32, new long[] {-4, 7, 5, 4, -7, 8}, 6);
        Tensor b = ints(DType.INT32, new long[] {3, -3, 8, -3, 3, 5}, 6);
        assertLongs(OpHarness.op("Mod").run(a, b), DType.INT32, shape(6), 2, -2, 5, -2, 2, 3);
        assertLongs(OpHarness.op("Mod").attr("fmod", 1L).run(a, b), DType.INT32, shape(6), -1, 1, 5, 1, -1, 3);
        Tensor fa = f(new float[] {-4.3f, 7.2f, 5.0f}, 3);
        Tensor fb = f(new float[] {2.1f, -3.4f, 8.0f}, 3);
        assertFloatsWithin(OpHarness.op("Mod").attr("fmod", 1L).run(fa, fb), shape(3), 1e-5f, -0.1f, 0.4f, 5f);
        assertFloatsWithin(OpHarness.op("Mod").run(fa, fb), shape(3), 1e-5f, 2.0f, -3.0f, 5f);
    }

    @Test
    void variadicOpsFoldWithBroadcasting() {
        Tensor a = f(new float[] {1, 5, 3}, 3);
        Tensor b = f(new float[] {4, 2, Float.NaN}, 3);
        Tensor c = f(new float[] {0}, 1);
        assertFloats(OpHarness.op("Sum").run(a, b, c), shape(3), 5, 7, Float.NaN);
        assertFloats(OpHarness.op("Max").run(a, b, c), shape(3), 4, 5, Float.NaN);
        assertFloats(OpHarness.op("Min").run(a, c), shape(3), 0, 0, 0);
        assertFloats(OpHarness.op("Mean").run(a, f(new float[] {3, 3, 3}, 3)), shape(3), 2, 4, 3);
        Tensor m = f(new float[] {1, 2}, 2, 1);
        assertFloats(OpHarness.op("Sum").run(m, a), shape(2, 3), 2, 6, 4, 3, 7, 5);
    }

    @Test
    void singleInputVariadicReturnsACopyNotTheInput() {
        Tensor a = f(new float[] {1, 2}, 2);
        Tensor r = OpHarness.op("Sum").run(a);
        assertThat(r.floats()).containsExactly(1, 2).isNotSameAs(a.floats());
    }

    @Test
    void inputsAreNeverModified() {
        float[] data = {1, -2, 3};
        Tensor a = f(data.clone(), 3);
        OpHarness.op("Add").run(a, a);
        OpHarness.op("Relu").run(a);
        OpHarness.op("Cast").attr("to", (long) DType.FLOAT.onnxId()).run(a);
        assertThat(a.floats()).containsExactly(data);
    }

    @Test
    void multiThreadedResultEqualsSequential() {
        int n = 110 * 5 * 384;
        float[] x = new float[n];
        float[] bias = new float[384];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 1000) * 0.25f - 100;
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = i * 0.5f;
        }
        Tensor a = f(x, n / 384 / 5, 5, 384);
        Tensor b = f(bias, 384);
        Tensor sequential = OpHarness.op("Add").run(a, b);
        try (Parallel p = new Parallel(3)) {
            Tensor parallel = OpHarness.op("Add").context(new ExecContext(p)).run(a, b);
            assertThat(parallel.floats()).containsExactly(sequential.floats());
            Tensor gelu = OpHarness.op("Gelu").opset(20).context(new ExecContext(p)).run(a);
            assertThat(gelu.floats()).containsExactly(OpHarness.op("Gelu").opset(20).run(a).floats());
        }
        for (int i = 0; i < n; i += 997) {
            assertThat(sequential.floats()[i]).isEqualTo(x[i] + bias[i % 384]);
        }
    }
}
