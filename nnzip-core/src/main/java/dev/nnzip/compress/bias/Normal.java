package dev.nnzip.compress.bias;

/** The standard normal density and distribution function. */
final class Normal {
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Normal() {
    }

    static double pdf(double x) {
        return Double.isInfinite(x) ? 0 : INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** {@code Φ(x) = erfc(−x/√2)/2}. */
    static double cdf(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 1;
        }
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /**
     * The complementary error function by the Chebyshev-based fit {@code erfcc} of Numerical Recipes in C (2nd ed.,
     * §6.2): fractional error below 1.2e-7 everywhere, ample for a mean that corrects a bias.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
