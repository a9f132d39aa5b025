package dev.nnzip.ops.math;

import static dev.nnzip.ops.math.TensorAssert.assertLongs;
import static dev.nnzip.ops.math.TensorAssert.ints;
import static dev.nnzip.ops.math.TensorAssert.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CastTest {
    private static Tensor cast(Tensor x, DType to) {
        return OpHarness.op("Cast").opset(13).attr("to", (long) to.onnxId()).run(x);
    }

    @Test
    void floatToIntegerTruncatesAndSaturates() {
        Tensor x = Tensor.of(new float[] {2.9f, -2.9f, 300f, -300f, Float.NaN, Float.POSITIVE_INFINITY}, 6);
        assertLongs(cast(x, DType.INT8), DType.INT8, shape(6), 2, -2, 127, -128, 0, 127);
        assertLongs(cast(x, DType.UINT8), DType.UINT8, shape(6), 2, 0, 255, 0, 0, 255);
        assertLongs(cast(x, DType.INT64), DType.INT64, shape(6), 2, -2, 300, -300, 0, Long.MAX_VALUE);
    }

    @Test
    void doubleToUint64CoversTheUpperHalf() {
        Tensor x = Tensor.of(new double[] {0x1p63, 0x1p64, 1.5}, 3);
        assertLongs(cast(x, DType.UINT64), DType.UINT64, shape(3), Long.MIN_VALUE, -1L, 1);
    }

    @Test
    void integerToIntegerWraps() {
        Tensor x = ints(DType.INT64, new long[] {300, -1, 128}, 3);
        assertLongs(cast(x, DType.INT8), DType.INT8, shape(3), 44, -1, -128);
        assertLongs(cast(x, DType.UINT16), DType.UINT16, shape(3), 300, 65535, 128);
    }

    @Test
    void uint64ToFloatReadsUnsigned() {
        Tensor x = ints(DType.UINT64, new long[] {-1L, 5}, 2);
        Tensor d = cast(x, DType.DOUBLE);
        assertThat(d.doubles()).containsExactly(0x1p64, 5.0);
        assertThat(cast(x, DType.FLOAT).floats()).containsExactly(0x1p64f, 5f);
    }

    @Test
    void toFloat16AndBfloat16RoundToNearestEven() {
        // 1 + 2^-11 is exactly half-way between the halves 1 and 1 + 2^-10: ties to the even one, 1
        Tensor x = Tensor.of(new float[] {1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 65520f, 1 + 0x1p-8f + 0x1p-12f}, 4);
        Tensor h = cast(x, DType.FLOAT16);
        assertThat(h.dtype()).isEqualTo(DType.FLOAT16);
        assertThat(h.floats()).containsExactly(1f, 1 + 0x1p-9f, Float.POSITIVE_INFINITY, 1 + 0x1p-8f);
        Tensor b = cast(x, DType.BFLOAT16);
        assertThat(b.floats()).containsExactly(1f, 1f, 65536f, 1f + 0x1p-7f);
    }

    @Test
    void doubleToFloat16RoundsOnlyOnce() {
        // slightly above the half-way point 1 + 2^-11: the correct half is 1 + 2^-10, but rounding through float first
        // lands exactly on the half-way point and then ties down to 1
        double d = 1 + 0x1p-11 + 0x1p-40;
        assertThat(Float.float16ToFloat(Float.floatToFloat16((float) d))).isEqualTo(1f);
        assertThat(cast(Tensor.of(new double[] {d}, 1), DType.FLOAT16).floats()).containsExactly(1 + 0x1p-10f);
    }

    @Test
    void boolCasts() {
        Tensor x = Tensor.of(new float[] {0, -0f, 2, Float.NaN}, 4);
        TensorAssert.assertBooleans(cast(x, DType.BOOL), shape(4), false, false, true, true);
        Tensor b = Tensor.of(new boolean[] {true, false}, 2);
        assertThat(cast(b, DType.FLOAT).floats()).containsExactly(1f, 0f);
        assertLongs(cast(b, DType.INT32), DType.INT32, shape(2), 1, 0);
    }

    @Test
    void numbersToStringsAsNumpyPrintsThem() {
        Tensor x = Tensor.of(new float[] {0.039187793f, 1f, 1e-5f, 1.5e-5f, 0.0001f, 100f, 1e16f, -0f, Float.NaN,
                Float.NEGATIVE_INFINITY, 123456.79f}, 11);
        assertThat(cast(x, DType.STRING).strings()).containsExactly("0.039187793", "1.0", "1e-05", "1.5e-05",
                "0.0001", "100.0", "1e+16", "-0.0", "nan", "-inf", "123456.79");
        Tensor d = Tensor.of(new double[] {0.1, 1e100}, 2);
        assertThat(cast(d, DType.STRING).strings()).containsExactly("0.1", "1e+100");
        Tensor h = Tensor.wrap(DType.FLOAT16, shape(2), new float[] {0.6123046875f, 65504f});
        assertThat(cast(h, DType.STRING).strings()).containsExactly("0.6123", "65500.0");
        assertThat(cast(ints(DType.UINT64, new long[] {-1L}, 1), DType.STRING).strings())
                .containsExactly("18446744073709551615");
        assertThat(cast(Tensor.of(new boolean[] {true}, 1), DType.STRING).strings()).containsExactly("True");
    }

    @Test
    void stringsToNumbers() {
        Tensor s = Tensor.wrap(DType.STRING, shape(6), new String[] {"0.47892547", "NaN", "INF", "+INF", "-inf", "7"});
        float[] f = cast(s, DType.FLOAT).floats();
        assertThat(f[0]).isEqualTo(0.47892547f);
        assertThat(f[1]).isNaN();
        assertThat(f).endsWith(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 7f);
        Tensor i = Tensor.wrap(DType.STRING, shape(3), new String[] {"42", "-3.7", "1e3"});
        assertLongs(cast(i, DType.INT32), DType.INT32, shape(3), 42, -3, 1000);
        Tensor bad = Tensor.wrap(DType.STRING, shape(1), new String[] {"abc"});
        assertThatThrownBy(() -> cast(bad, DType.FLOAT)).hasMessageContaining("'abc'");
    }

    @Test
    void castToTheSameTypeCopies() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        Tensor y = cast(x, DType.FLOAT);
        assertThat(y.floats()).containsExactly(1, 2).isNotSameAs(x.floats());
    }

    @Test
    void unsupportedTargetTypesFailAtLoad() {
        assertThatThrownBy(() -> OpHarness.op("Cast").opset(19).attr("to", 17L).compile(1)) // FLOAT8E4M3FN
                .isInstanceOf(UnsupportedOperatorException.class).hasMessageContaining("17");
        assertThatThrownBy(() -> OpHarness.op("Cast").compile(1)).hasMessageContaining("'to'");
    }
}
