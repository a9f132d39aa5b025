package dev.nnzip.codec.quant;

/**
 * The integer alphabet of the quantizing codecs, after SZ's linear-scaling quantization (Tao et al., IPDPS 2017; Liang et
 * al., Big Data 2018): 65,536 intervals, bin width {@code 2·eb}, bin id {@code q ∈ [−32767, 32767]} coded as symbol
 * {@code q + 32768}, and symbol 0 reserved for "unpredictable" values, stored raw (bit-exact) in the escape stream.
 */
public final class QuantCodes {
    public static final int ALPHABET = 1 << 16;
    public static final int CENTER = 1 << 15;
    public static final int RADIUS = CENTER - 1;
    public static final int ESCAPE = 0;

    private QuantCodes() {
    }

    /** The symbol of bin id {@code q}, or {@link #ESCAPE} if {@code q} is out of range. */
    public static int symbol(long q) {
        return q >= -RADIUS && q <= RADIUS ? (int) q + CENTER : ESCAPE;
    }

    /**
     * The bin width: the largest float not above {@code 2·eb}, so rounding the width never widens the bins beyond the bound.
     * 0 when {@code eb} is 0 (every value is then stored raw, i.e. exactly).
     */
    public static float step(double eb) {
        double width = 2 * eb;
        if (!(width > 0)) {
            return 0;
        }
        float step = (float) Math.min(width, Float.MAX_VALUE);
        if (step > width) {
            step = Math.nextDown(step);
        }
        return step;
    }

    /** {@code round(x / step)} as a long (saturating), for an {@code x} already known finite and {@code step > 0}. */
    public static long bin(double x, float step) {
        return Math.round(x / step);
    }
}
