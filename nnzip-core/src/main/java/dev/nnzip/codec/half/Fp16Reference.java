package dev.nnzip.codec.half;

/**
 * binary16 → binary32 written out from IEEE 754-2008 §3.4: {@code (−1)^s × 2^(e−15) × 1.m} for normal numbers,
 * {@code (−1)^s × 2^−14 × 0.m} for subnormals, infinity and NaN for {@code e = 31} (payload kept in the high mantissa
 * bits and made quiet, as §6.2.3 asks of a conversion: a signaling NaN converts to a quiet one).
 * Slow and plain on purpose: the oracle for the JDK conversion the fast decoder uses.
 */
public final class Fp16Reference {
    private Fp16Reference() {
    }

    public static float toFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            if (mantissa == 0) {
                magnitude = Double.POSITIVE_INFINITY;
            } else {
                // NaN: binary32 exponent all ones, quiet bit set, the 10 payload bits at the top of the mantissa.
                return Float.intBitsToFloat(sign << 31 | 0x7FC0_0000 | mantissa << 13);
            }
        } else if (exponent == 0) {
            magnitude = mantissa * 0x1p-24; // 2^-14 × m/1024
        } else {
            magnitude = (1024 + mantissa) * Math.scalb(1.0, exponent - 25); // 2^(e-15) × (1024+m)/1024
        }
        return (float) (sign == 1 ? -magnitude : magnitude);
    }
}
