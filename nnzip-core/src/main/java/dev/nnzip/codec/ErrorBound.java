package dev.nnzip.codec;

/**
 * How far a decoded weight may be from the original: {@code |w - ŵ| <= eb} for every weight.
 *
 * <p>{@link Kind#ABSOLUTE} gives {@code eb} directly; {@link Kind#RELATIVE} gives it as a fraction of the tensor's value range,
 * {@code eb = value × (max − min)}, the convention of SZ and DeepSZ (Jin et al., HPDC 2019), so one setting means the same
 * coarseness for layers of very different scale. A bound of zero asks for exact values.
 *
 * @param kind  absolute or relative to the range
 * @param value the bound (absolute) or the fraction of the range (relative); finite and {@code >= 0}
 */
public record ErrorBound(Kind kind, double value) {
    public enum Kind { ABSOLUTE, RELATIVE }

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
        };
    }

    @Override
    public String toString() {
        return kind == Kind.ABSOLUTE ? "abs " + value : "rel " + value;
    }
}
