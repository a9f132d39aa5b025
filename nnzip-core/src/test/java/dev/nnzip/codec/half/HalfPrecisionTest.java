package dev.nnzip.codec.half;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.kernels.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * fp16 and bf16 conversions bit for bit against an independent reference: the nearest representable value found by
 * search over all 65,536 codes (ties to the even code), with subnormals, overflow, infinities and NaN.
 */
class HalfPrecisionTest {
    /** Every finite non-negative 16-bit code in increasing order with its exact value, for one format. */
    private record Table(short[] codes, double[] values, double overflowThreshold) {
        /** IEEE 754 round to nearest even by search: the oracle. */
        short nearest(float f) {
            int bits = Float.floatToRawIntBits(f);
            short sign = (short) ((bits >>> 16) & 0x8000);
            if (Float.isNaN(f)) {
                throw new IllegalArgumentException("NaN has no nearest value");
            }
            double a = Math.abs((double) f);
            if (a >= overflowThreshold) {
                return (short) (sign | codes[codes.length - 1] + 1); // the code after the largest finite: infinity
            }
            int i = Arrays.binarySearch(values, a);
            if (i >= 0) {
                return (short) (sign | codes[i]);
            }
            int hi = -i - 1;
            int lo = hi - 1;
            if (hi == values.length) {
                return (short) (sign | codes[lo]); // above the largest finite but below the overflow threshold
            }
            double dLo = a - values[lo];
            double dHi = values[hi] - a;
            int pick = dLo < dHi ? lo : dHi < dLo ? hi : (codes[lo] & 1) == 0 ? lo : hi;
            return (short) (sign | codes[pick]);
        }
    }

    /** Finite codes 0x0000..0x7BFF of binary16; values exact in double from the reference widening. */
    private static Table fp16Table() {
        int count = 0x7C00;
        short[] codes = new short[count];
        double[] values = new double[count];
        for (int c = 0; c < count; c++) {
            codes[c] = (short) c;
            values[c] = Fp16Reference.toFloat((short) c);
        }
        // Halfway between the largest finite (65504) and the next step (65536) rounds to even = infinity.
        return new Table(codes, values, 65520);
    }

    private static Table bf16Table() {
        int count = 0x7F80;
        short[] codes = new short[count];
        double[] values = new double[count];
        for (int c = 0; c < count; c++) {
            codes[c] = (short) c;
            values[c] = Float.intBitsToFloat(c << 16);
        }
        double max = Float.intBitsToFloat(0x7F7F_0000);
        double step = Math.ulp((float) max) * 65536.0; // bf16 ulp at the top binade
        return new Table(codes, values, max + step / 2);
    }

    /** Random floats over every exponent plus the edge cases of both formats. */
    private static List<Float> probes() {
        List<Float> p = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isNaN(f)) {
                p.add(f);
            }
        }
        for (int i = 0; i < 50_000; i++) { // dense around fp16's range, where the interesting roundings are
            p.add((float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-30, 18))));
        }
        float[] edges = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1p-26f,
            0x1p-14f, 0x1.ffcp-15f, 65504f, 65519.996f, 65520f, 65536f, 1e10f, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 1.00048828125f, 1.00146484375f, 1 + 0x1p-8f, 1 + 0x1.8p-8f, 1 + 0x1p-9f,
            Float.intBitsToFloat(0x7F7F_8000), Float.intBitsToFloat(0x7F7F_7FFF), Float.intBitsToFloat(0x0000_8000),
            Float.intBitsToFloat(0x0001_8000), Float.intBitsToFloat(0x0000_7FFF)};
        for (float e : edges) {
            p.add(e);
            p.add(-e);
            p.add(Math.nextUp(e));
            p.add(Math.nextDown(e));
        }
        return p;
    }

    @Test
    void fp16ConversionIsRoundToNearestEvenBitForBit() {
        Table t = fp16Table();
        for (float f : probes()) {
            short expected = Float.isInfinite(f) ? (short) (f > 0 ? 0x7C00 : 0xFC00) : t.nearest(f);
            short actual = Float.floatToFloat16(f);
            if (actual != expected) {
                fail("fp16(" + f + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ") = 0x"
                        + Integer.toHexString(actual & 0xFFFF) + ", nearest-even is 0x"
                        + Integer.toHexString(expected & 0xFFFF));
            }
        }
    }

    @Test
    void bf16ConversionIsRoundToNearestEvenBitForBit() {
        Table t = bf16Table();
        for (float f : probes()) {
            short expected = Float.isInfinite(f) ? (short) (f > 0 ? 0x7F80 : 0xFF80) : t.nearest(f);
            short actual = Bf16.fromFloat(f);
            if (actual != expected) {
                fail("bf16(" + f + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ") = 0x"
                        + Integer.toHexString(actual & 0xFFFF) + ", nearest-even is 0x"
                        + Integer.toHexString(expected & 0xFFFF));
            }
        }
    }

    @Test
    void nanStaysNanWithSignAndQuietBit() {
        for (int bits : new int[] {0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0x7FBF_FFFF, 0xFF80_0001}) {
            float nan = Float.intBitsToFloat(bits);
            short b = Bf16.fromFloat(nan);
            assertThat(Float.isNaN(Bf16.toFloat(b))).as("bf16 of 0x%08x", bits).isTrue();
            assertThat(b & 0x8000).isEqualTo((bits >>> 16) & 0x8000);
            short h = Float.floatToFloat16(nan);
            assertThat(Float.isNaN(Float.float16ToFloat(h))).isTrue();
            assertThat(Float.isNaN(Fp16Reference.toFloat(h))).isTrue();
        }
    }

    /** The fast widenings (JDK for fp16, the shift for bf16) equal the definitions for all 65,536 codes. */
    @Test
    void wideningMatchesTheDefinitionForEveryCode() {
        Bf16Codec bf16 = new Bf16Codec();
        for (int c = 0; c < 1 << 16; c++) {
            short h = (short) c;
            assertThat(Float.floatToRawIntBits(Float.float16ToFloat(h)))
                    .as("fp16 0x%04x", c).isEqualTo(Float.floatToRawIntBits(Fp16Reference.toFloat(h)));
            assertThat(Float.floatToRawIntBits(bf16.decode16(h)))
                    .as("bf16 0x%04x", c).isEqualTo(Float.floatToRawIntBits(bf16.decode16Reference(h)));
        }
    }

    @Test
    void codecsStoreTheRoundedValuesAndEscapeFp16Overflow() {
        float[] v = {0f, -0f, 1e-8f, 3.14159f, -2.5e-6f, 65504f, 70000f, -1e20f, 1.00048828125f, Float.MIN_VALUE};
        for (String name : new String[] {"fp16", "bf16"}) {
            WeightCodec c = Codecs.byName(name);
            EncodedTensor t = c.encode("w", v, new int[] {v.length}, ErrorBound.exact(), 4);
            float[] fast = c.decoder(t, DecoderKind.FAST).decodeAll(Parallel.sequential());
            float[] ref = c.decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential());
            double maxError = 0;
            for (int i = 0; i < v.length; i++) {
                float expected = name.equals("fp16") ? Float.float16ToFloat(Float.floatToFloat16(v[i]))
                        : Bf16.toFloat(Bf16.fromFloat(v[i]));
                if (Float.isInfinite(expected)) {
                    expected = v[i]; // beyond fp16's range: kept exact, never infinity
                }
                assertThat(Float.floatToRawIntBits(fast[i])).as("%s value %d", name, i)
                        .isEqualTo(Float.floatToRawIntBits(expected));
                assertThat(Float.floatToRawIntBits(ref[i])).isEqualTo(Float.floatToRawIntBits(expected));
                maxError = Math.max(maxError, Math.abs((double) v[i] - fast[i]));
            }
            assertThat(t.absoluteBound()).isEqualTo(maxError);
        }
    }

    @Test
    void halfPrecisionHalvesTheStorage() {
        SplittableRandom r = new SplittableRandom(3);
        float[] v = new float[1 << 15];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.05);
        }
        for (String name : new String[] {"fp16", "bf16"}) {
            EncodedTensor t = Codecs.byName(name).encode("w", v, new int[] {v.length}, ErrorBound.exact());
            assertThat(t.ratio()).as(name).isGreaterThanOrEqualTo(1.95);
        }
    }
}
