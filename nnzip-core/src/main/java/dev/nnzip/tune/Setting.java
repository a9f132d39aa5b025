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
        Codecs.byName(codec); // fails listing the valid names
        return new Setting(codec, ErrorBound.relative(fractionOfRange));
    }

    /** E.g. {@code smartdnn@rel0.01}. */
    public String label() {
        return codec + "@" + (bound.kind() == ErrorBound.Kind.RELATIVE ? "rel" : "abs") + bound.value();
    }

    @Override
    public String toString() {
        return label();
    }
}
