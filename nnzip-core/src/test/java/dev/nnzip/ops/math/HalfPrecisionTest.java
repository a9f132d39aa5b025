package dev.nnzip.ops.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.tensor.DType;
import org.junit.jupiter.api.Test;

class HalfPrecisionTest {
    @Test
    void bfloat16RoundsToNearestEvenAndOverflowsToInfinity() {
        assertThat(HalfPrecision.toBfloat16(Float.intBitsToFloat(0x3F808000))).isEqualTo(1f); // tie, even stays
        assertThat(HalfPrecision.toBfloat16(Float.intBitsToFloat(0x3F818000)))
                .isEqualTo(Float.intBitsToFloat(0x3F820000)); // tie, rounds up to even
        assertThat(HalfPrecision.toBfloat16(Float.intBitsToFloat(0x3F808001)))
                .isEqualTo(Float.intBitsToFloat(0x3F810000));
        assertThat(HalfPrecision.toBfloat16(Float.MAX_VALUE)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfPrecision.toBfloat16(Float.NaN)).isNaN();
    }

    @Test
    void roundToOddMarksInexactResults() {
        assertThat(HalfPrecision.roundToOddFloat(1.0)).isEqualTo(1f);
        float up = HalfPrecision.roundToOddFloat(1 + 0x1p-30);
        assertThat(Float.floatToRawIntBits(up)).isEqualTo(Float.floatToRawIntBits(1f) | 1);
        float down = HalfPrecision.roundToOddFloat(-(1 + 0x1p-30));
        assertThat(down).isEqualTo(-up);
    }

    @Test
    void fromDoubleIsASingleRounding() {
        // just above the float16 tie 1 + 2^-11 → rounds up; just below → down
        assertThat(HalfPrecision.fromDouble(DType.FLOAT16, 1 + 0x1p-11 + 0x1p-40)).isEqualTo(1 + 0x1p-10f);
        assertThat(HalfPrecision.fromDouble(DType.FLOAT16, 1 + 0x1p-11 - 0x1p-40)).isEqualTo(1f);
        assertThat(HalfPrecision.fromDouble(DType.BFLOAT16, 1 + 0x1p-8 + 0x1p-40)).isEqualTo(1 + 0x1p-7f);
        assertThat(HalfPrecision.fromDouble(DType.FLOAT, 0.1)).isEqualTo(0.1f);
    }
}
