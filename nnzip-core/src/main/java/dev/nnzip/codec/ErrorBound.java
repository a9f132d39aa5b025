package dev.nnzip.codec;

/**
 * How far a decoded weight may be from the original: {@code |w - ŵ| <= eb} for every weight.
 *
 * <p>{@link Kind#ABSOLUTE} gives {@code eb} directly; {@link Kind#RELATIVE} gives it as a fraction of the tensor's value range,
 * {@code eb = value × (max − min)}, the convention of SZ and DeepSZ (Jin et al., HPDC 2019), so one setting means the same
 * coarseness for layers of very different scale. {@link Kind#STD} gives it as a fraction of the tensor's standard deviation,
 * {@code eb = value × σ}: a trained layer's range is set by a few outliers (lenet5's first Gemm spans ~14σ, others ~8σ),
 * so a range-relative bound gives layers with one far weight a much coarser grid than their bulk warrants; σ measures
 * the bulk that carries the layer's signal. Codecs take ABSOLUTE and RELATIVE; an STD bound is turned into an absolute
 * one with {@link #toAbsolute(float[])} before encoding (the container records the absolute bound it got). A bound of
 * zero asks for exact values.
 *
 * @param kind  absolute or relative to the range
 * @param value the bound (absolute) or the fraction of the range (relative); finite and {@code >= 0}
 */
public record ErrorBound(Kind kind, double value) {
    public enum Kind { ABSOLUTE, RELATIVE, STD }

    public ErrorBound {
        if (kind == null) {
            throw new IllegalArgumentException("error bound kind must be ABSOLUTE or RELATIVE, was null");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("error bound must be finite and >= 0, was " + value);
        }
    }

    public static ErrorBound absolute(double eb) {
        return new ErrorBound(Kind.ABSOLUTE, eb);
    }

    public static ErrorBound relative(double fractionOfRange) {
        return new ErrorBound(Kind.RELATIVE, fractionOfRange);
    }

    public static ErrorBound ofStd(double fractionOfStd) {
        return new ErrorBound(Kind.STD, fractionOfStd);
    }

    /** The bound that asks for exact values. */
    public static ErrorBound exact() {
        return new ErrorBound(Kind.ABSOLUTE, 0);
    }

    /**
     * The absolute bound for a tensor whose finite values span {@code [min, max]}. The range is computed in double, so it
     * neither overflows nor loses the low bits of two floats far apart.
     */
    public double resolve(float min, float max) {
        return switch (kind) {
            case ABSOLUTE -> value;
            case RELATIVE -> max >= min ? value * ((double) max - (double) min) : 0;
            case STD -> throw new IllegalStateException("a bound relative to the standard deviation must be made"
                    + " absolute with toAbsolute(values) before a codec resolves it");
        };
    }

    /**
     * This bound as an absolute one for {@code values}: {@link Kind#STD} becomes {@code value × σ} (population standard
     * deviation of the finite values, two-pass in double so a large mean does not cancel the spread); the other kinds are
     * returned unchanged (codecs resolve them against the range themselves).
     */
    public ErrorBound toAbsolute(float[] values) {
        if (kind != Kind.STD) {
            return this;
        }
        double sum = 0;
        long n = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return absolute(0);
        }
        double mean = sum / n;
        double squares = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                double d = v - mean;
                squares += d * d;
            }
        }
        return absolute(value * Math.sqrt(squares / n));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ABSOLUTE -> "abs " + value;
            case RELATIVE -> "rel " + value;
            case STD -> "std " + value;
        };
    }
}
