package dev.nnzip.tune;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.ErrorBound;
import java.util.Objects;

/**
 * One candidate compression of a tensor: a codec as {@link dev.nnzip.compress.CompressionPolicy} names it and an error
 * bound (ignored by codecs whose setting lives in their name).
 */
public record Setting(String codec, ErrorBound bound) {
    public Setting {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(bound, "bound");
    }

    /** The setting {@code codec} at a bound relative to each tensor's value range. */
    public static Setting relative(String codec, double fractionOfRange) {
        Codecs.configure(codec); // fails listing the valid codecs or settings
        return new Setting(codec, ErrorBound.relative(fractionOfRange));
    }

    /** The setting {@code codec} at a bound relative to each tensor's standard deviation. */
    public static Setting ofStd(String codec, double fractionOfStd) {
        Codecs.configure(codec);
        return new Setting(codec, ErrorBound.ofStd(fractionOfStd));
    }

    /**
     * E.g. {@code smartdnn@rel0.01}, {@code smartdnn@std0.1}, or the spec alone for codecs that take no bound
     * ({@code int4:block=128}).
     */
    public String label() {
        var c = Codecs.configure(codec);
        if (c.isLossless() || !c.isErrorBounded()) {
            return codec;
        }
        String kind = switch (bound.kind()) {
            case RELATIVE -> "rel";
            case STD -> "std";
            case CHANNEL_RANGE -> "chan";
            case ABSOLUTE -> "abs";
        };
        return codec + "@" + kind + compact(bound.value());
    }

    /** Four significant digits without trailing zeros: 0.01, 0.03536, 1000. */
    private static String compact(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString();
    }

    @Override
    public String toString() {
        return label();
    }
}
