package dev.nnzip.codec.spi;

import java.math.BigDecimal;

/**
 * The exact test {@code |w − ŵ| <= eb} the encoders apply to every reconstructed value.
 *
 * <p>The difference of two floats is exact in double unless their exponents are more than ~29 apart, and then it is off by
 * at most one part in 2^53. So the double comparison is right except when the difference lies within that sliver of
 * {@code eb}; only there (essentially never) is it redone exactly with BigDecimal. The guarantee thus holds in exact
 * arithmetic, not just up to rounding.
 */
public final class BoundCheck {
    private static final double SLIVER = 0x1p-50;

    private BoundCheck() {
    }

    public static boolean within(float w, float reconstructed, double eb) {
        double diff = Math.abs((double) w - (double) reconstructed);
        if (diff == 0) {
            return true; // two floats differ by exactly zero in double only when equal (+0.0 and -0.0 included)
        }
        if (diff < eb * (1 - SLIVER)) {
            return true;
        }
        if (diff > eb * (1 + SLIVER) || Double.isNaN(diff)) {
            return false;
        }
        BigDecimal exact = new BigDecimal(w).subtract(new BigDecimal(reconstructed)).abs();
        return exact.compareTo(new BigDecimal(eb)) <= 0;
    }
}
