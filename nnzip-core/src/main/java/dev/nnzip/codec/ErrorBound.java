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
 * one with {@link #toAbsolute(float[], int[])} before encoding (the container records the absolute bound it got). A bound of
 * zero asks for exact values.
 *
 * @param kind  absolute or relative to the range
 * @param value the bound (absolute) or the fraction of the range (relative); finite and {@code >= 0}
 */
public record ErrorBound(Kind kind, double value) {
    public enum Kind { ABSOLUTE, RELATIVE, STD, CHANNEL_RANGE }

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

    /**
     * A fraction of the smallest value range among the tensor's output channels (slices along dimension 0, all-constant
     * channels ignored): every channel gets a grid at least as fine as {@code value} of its own range. Needed where
     * channels differ in scale by orders of magnitude — a filter with a BatchNormalization folded in — since one
     * range-relative step sized by the widest channel can flatten the narrow ones to zero.
     */
    public static ErrorBound ofChannelRange(double fractionOfSmallestChannelRange) {
        return new ErrorBound(Kind.CHANNEL_RANGE, fractionOfSmallestChannelRange);
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
            case STD, CHANNEL_RANGE -> throw new IllegalStateException("a bound relative to the standard deviation must be made"
                    + " absolute with toAbsolute(values) before a codec resolves it");
        };
    }

    /**
     * This bound as an absolute one for {@code values}: {@link Kind#STD} becomes {@code value × σ} (population standard
     * deviation of the finite values, two-pass in double so a large mean does not cancel the spread); the other kinds are
     * returned unchanged (codecs resolve them against the range themselves).
     */
    public ErrorBound toAbsolute(float[] values, int[] shape) {
        if (kind == Kind.CHANNEL_RANGE) {
            return absolute(value * smallestChannelRange(values, shape));
        }
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

    private static double smallestChannelRange(float[] values, int[] shape) {
        int channels = shape.length == 0 ? 1 : Math.max(1, shape[0]);
        int per = values.length / channels;
        double smallest = Double.POSITIVE_INFINITY;
        for (int c = 0; c < channels && per > 0; c++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = c * per; i < (c + 1) * per; i++) {
                if (Float.isFinite(values[i])) {
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                }
            }
            double range = (double) max - min;
            if (range > 0) {
                smallest = Math.min(smallest, range);
            }
        }
        return Double.isInfinite(smallest) ? 0 : smallest;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ABSOLUTE -> "abs " + value;
            case RELATIVE -> "rel " + value;
            case STD -> "std " + value;
            case CHANNEL_RANGE -> "channel-range " + value;
        };
    }
}
