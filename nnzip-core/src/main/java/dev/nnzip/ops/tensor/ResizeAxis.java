package dev.nnzip.ops.tensor;

/**
 * The resampling table of one axis of a Resize: for each output position, the input positions it reads and their
 * weights ({@code taps} per output position), or that it takes the extrapolation value.
 *
 * <p>Follows the ONNX reference: with {@code x} the input coordinate and {@code base = ceil(x) - 1}, the ratio
 * {@code r = x - base} lies in {@code (0, 1]}; the taps are the {@code n} nearest input positions
 * {@code base - n/2 + 1 … base + n/2}; positions outside the axis read its edge element, or, with
 * {@code exclude_outside}, get weight 0 and the rest are renormalized. Antialiasing (opset 18) stretches the linear or
 * cubic kernel by {@code 1/scale} when downscaling, widening {@code n} accordingly, and normalizes the weights.
 */
record ResizeAxis(int outLen, int taps, int[] index, double[] weight, boolean[] outside) {

    enum Mode { NEAREST, LINEAR, CUBIC }

    /** Resize's {@code nearest_mode}, plus Resize-10/Upsample's rule (floor when upscaling, ceil when downscaling). */
    enum Nearest {
        ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL, LEGACY;

        static Nearest parse(String name) {
            return switch (name) {
                case "round_prefer_floor" -> ROUND_PREFER_FLOOR;
                case "round_prefer_ceil" -> ROUND_PREFER_CEIL;
                case "floor" -> FLOOR;
                case "ceil" -> CEIL;
                default -> throw new IllegalArgumentException("Resize nearest_mode '" + name
                        + "' is not one of [round_prefer_floor, round_prefer_ceil, floor, ceil]");
            };
        }
    }

    /** Everything about the interpolation that is fixed by the node's attributes. */
    record Filter(Mode mode, ResizeCoordinates coordinates, Nearest nearest, double cubicA, boolean excludeOutside,
                  boolean antialias) {
    }

    static ResizeAxis build(Filter f, int inLen, int outLen, double scale, double roiStart, double roiEnd) {
        if (f.mode == Mode.NEAREST) {
            int[] index = new int[outLen];
            boolean[] outside = new boolean[outLen];
            for (int o = 0; o < outLen; o++) {
                double x = f.coordinates.toInput(o, scale, inLen, outLen, roiStart, roiEnd);
                if (Double.isNaN(x)) {
                    outside[o] = true;
                    continue;
                }
                index[o] = clamp(nearest(x, f.nearest, scale < 1), inLen);
            }
            return new ResizeAxis(outLen, 1, index, new double[] {1}, outside);
        }
        double kernelScale = f.antialias ? Math.min(scale, 1) : 1;
        // first tap relative to base, and tap count: 2 / 4 for plain linear / cubic, wider when antialiasing
        int start = f.mode == Mode.LINEAR ? (int) Math.floor(-1 / kernelScale) + 1
                : (int) Math.floor(-2 / kernelScale) + 1;
        int taps = 2 - 2 * start;
        int[] index = new int[outLen * taps];
        double[] weight = new double[outLen * taps];
        boolean[] outside = new boolean[outLen];
        double[] w = new double[taps];
        for (int o = 0; o < outLen; o++) {
            double x = f.coordinates.toInput(o, scale, inLen, outLen, roiStart, roiEnd);
            if (Double.isNaN(x)) {
                outside[o] = true;
                continue;
            }
            double fl = Math.floor(x);
            int base = (int) (x == fl ? fl - 1 : fl);
            double ratio = x - base;
            coefficients(f, ratio, kernelScale, start, w);
            double sum = 0;
            for (int t = 0; t < taps; t++) {
                int pos = base + start + t;
                if (f.excludeOutside && (pos < 0 || pos >= inLen)) {
                    w[t] = 0;
                }
                sum += w[t];
            }
            boolean normalize = f.excludeOutside || f.antialias;
            for (int t = 0; t < taps; t++) {
                index[o * taps + t] = clamp(base + start + t, inLen);
                weight[o * taps + t] = normalize ? w[t] / sum : w[t];
            }
        }
        return new ResizeAxis(outLen, taps, index, weight, outside);
    }

    /** Kernel weights for the taps {@code start … start+taps-1} around a point at {@code ratio} past {@code base}. */
    private static void coefficients(Filter f, double ratio, double kernelScale, int start, double[] w) {
        double a = f.cubicA;
        if (!f.antialias && f.mode == Mode.CUBIC) {
            // Keys' cubic convolution kernel evaluated at distances 1+r, r, 1-r, 2-r (the spec's closed form)
            w[0] = ((a * (ratio + 1) - 5 * a) * (ratio + 1) + 8 * a) * (ratio + 1) - 4 * a;
            w[1] = ((a + 2) * ratio - (a + 3)) * ratio * ratio + 1;
            w[2] = ((a + 2) * (1 - ratio) - (a + 3)) * (1 - ratio) * (1 - ratio) + 1;
            w[3] = ((a * ((1 - ratio) + 1) - 5 * a) * ((1 - ratio) + 1) + 8 * a) * ((1 - ratio) + 1) - 4 * a;
            return;
        }
        if (!f.antialias) {
            w[0] = 1 - ratio;
            w[1] = ratio;
            return;
        }
        double sum = 0;
        for (int t = 0; t < w.length; t++) {
            double d = Math.abs((start + t - ratio) * kernelScale);
            w[t] = f.mode == Mode.LINEAR ? Math.max(0, 1 - d) : cubic(d, a);
            sum += w[t];
        }
        for (int t = 0; t < w.length; t++) {
            w[t] /= sum;
        }
    }

    private static double cubic(double d, double a) {
        if (d <= 1) {
            return ((a + 2) * d - (a + 3)) * d * d + 1;
        }
        if (d < 2) {
            return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        }
        return 0;
    }

    private static int nearest(double x, Nearest mode, boolean downscale) {
        double fl = Math.floor(x);
        if (x == fl) {
            return (int) fl;
        }
        double ratio = x - fl;
        return (int) switch (mode) {
            case ROUND_PREFER_FLOOR -> ratio <= 0.5 ? fl : fl + 1;
            case ROUND_PREFER_CEIL -> ratio < 0.5 ? fl : fl + 1;
            case FLOOR -> fl;
            case CEIL -> fl + 1;
            // ONNX Runtime's rule for Upsample and Resize-10, which had no nearest_mode
            case LEGACY -> downscale ? Math.ceil(x) : (double) (long) x;
        };
    }

    private static int clamp(int i, int len) {
        return i < 0 ? 0 : Math.min(i, len - 1);
    }

    /** True when this table maps the axis onto itself unchanged, so the pass can be skipped. */
    boolean isIdentity(int inLen) {
        if (outLen != inLen) {
            return false;
        }
        for (int o = 0; o < outLen; o++) {
            if (outside[o]) {
                return false;
            }
            for (int t = 0; t < taps; t++) {
                double w = taps == 1 ? 1 : weight[o * taps + t];
                if (w != 0 && (index[o * taps + t] != o || w != 1)) {
                    return false;
                }
            }
        }
        return true;
    }
}
