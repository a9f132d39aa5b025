package dev.nnzip.codec.half;

/**
 * bfloat16: the upper 16 bits of an IEEE 754 binary32 (1 sign, 8 exponent, 7 mantissa bits), as used by TPUs, AVX-512 BF16
 * and ONNX's BFLOAT16. Conversion from float rounds to nearest, ties to even, the rounding PyTorch, TensorFlow and ONNX use
 * (not the truncation some early hardware did); NaN stays NaN (made quiet, sign kept), infinities stay infinities, and
 * subnormals round like any other value because bf16 has float's exponent range.
 */
public final class Bf16 {
    private Bf16() {
    }

    /** Round-to-nearest-even conversion. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((bits >>> 16) | 0x0040); // NaN: truncating could clear every mantissa bit (= infinity)
        }
        // Adding 0x7FFF plus the lowest kept bit rounds half-way cases to the even neighbour; a carry into the exponent
        // is the correct result (the next binade, or infinity above the largest bf16).
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    public static float toFloat(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }
}
