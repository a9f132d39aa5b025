package dev.nnzip.codec.half;

/**
 * IEEE 754 binary16 storage (1 sign, 5 exponent, 10 mantissa bits). The conversion is the JDK's
 * {@link Float#floatToFloat16} (round to nearest even, subnormals kept, NaN and infinities preserved; intrinsified on CPUs
 * with F16C) and is checked bit for bit against an independent nearest-value search in the tests.
 */
public final class Fp16Codec extends HalfCodec {
    public static final String NAME = "fp16";
    public static final int ID = 7;

    public Fp16Codec() {
        super(NAME, ID);
    }

    @Override
    short encode16(float f) {
        return Float.floatToFloat16(f);
    }

    @Override
    float decode16(short h) {
        return Float.float16ToFloat(h);
    }

    @Override
    float decode16Reference(short h) {
        return Fp16Reference.toFloat(h);
    }
}
