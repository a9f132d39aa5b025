package dev.nnzip.codec.half;

/** bfloat16 storage ({@link Bf16}): float's range with 8 bits of precision. */
public final class Bf16Codec extends HalfCodec {
    public static final String NAME = "bf16";
    public static final int ID = 8;

    public Bf16Codec() {
        super(NAME, ID);
    }

    @Override
    short encode16(float f) {
        return Bf16.fromFloat(f);
    }

    @Override
    float decode16(short h) {
        return Bf16.toFloat(h);
    }

    /** bf16 widening from its definition: sign, exponent and mantissa placed into binary32's fields one by one. */
    @Override
    float decode16Reference(short h) {
        int sign = (h >>> 15) & 1;
        int exponent = (h >>> 7) & 0xFF;
        int mantissa = h & 0x7F;
        return Float.intBitsToFloat(sign << 31 | exponent << 23 | mantissa << 16);
    }
}
