package dev.nnzip.ops.math;

import dev.nnzip.tensor.DType;

/**
 * Rounding to the 16-bit float formats nnzip holds widened in {@code float[]} (see {@link DType}).
 *
 * <p>Ops on FLOAT16 / BFLOAT16 tensors compute in float32 and round each result once to the declared type, which is what
 * numpy (the ONNX reference) does for float16 arithmetic. All roundings are IEEE round-to-nearest-even.
 */
public final class HalfPrecision {
    private HalfPrecision() {
    }

    /** True for the types whose values must be rounded after a float32 computation. */
    public static boolean needsRounding(DType type) {
        return type == DType.FLOAT16 || type == DType.BFLOAT16;
    }

    public static float toFloat16(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }

    /** Round-to-nearest-even to bfloat16 (the upper 16 bits of a float32); NaN stays NaN. */
    public static float toBfloat16(float f) {
        if (Float.isNaN(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        bits += 0x7FFF + ((bits >>> 16) & 1); // carries into the exponent, giving infinity on overflow as IEEE requires
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    /** Rounds {@code f} to {@code type}: identity for FLOAT, half or bfloat16 rounding otherwise. */
    public static float round(DType type, float f) {
        return switch (type) {
            case FLOAT16 -> toFloat16(f);
            case BFLOAT16 -> toBfloat16(f);
            default -> f;
        };
    }

    /** Rounds {@code data[from, to)} in place to {@code type}; a no-op for FLOAT. */
    public static void roundInPlace(DType type, float[] data, int from, int to) {
        if (type == DType.FLOAT16) {
            for (int i = from; i < to; i++) {
                data[i] = toFloat16(data[i]);
            }
        } else if (type == DType.BFLOAT16) {
            for (int i = from; i < to; i++) {
                data[i] = toBfloat16(data[i]);
            }
        }
    }

    public static void roundInPlace(DType type, float[] data) {
        roundInPlace(type, data, 0, data.length);
    }

    /**
     * Rounds a double to a float-stored type (FLOAT, FLOAT16 or BFLOAT16) with a single correct rounding.
     *
     * <p>Going double → float → half rounds twice and can be off by one half-ulp step when the float lands exactly on a
     * half-way point. Rounding the first step to <em>odd</em> instead makes the second rounding correct whenever the
     * intermediate format has at least two more bits than the target (Boldo and Melquiond, "When double rounding is
     * odd", 2005): float32 has 24 bits, float16 11 and bfloat16 8.
     */
    public static float fromDouble(DType type, double d) {
        if (type == DType.FLOAT) {
            return (float) d;
        }
        return round(type, roundToOddFloat(d));
    }

    /** double → float rounded to odd: truncate toward zero, and set the last bit if anything was cut off. */
    static float roundToOddFloat(double d) {
        float f = (float) d;
        if (Float.isInfinite(f) || Float.isNaN(f) || (double) f == d) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        if (Math.abs((double) f) > Math.abs(d)) {
            bits--; // round-to-nearest went away from zero; step back to the truncated value (same sign)
        }
        return Float.intBitsToFloat(bits | 1);
    }
}
