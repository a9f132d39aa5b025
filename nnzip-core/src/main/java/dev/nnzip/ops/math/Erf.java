package dev.nnzip.ops.math;

import dev.nnzip.kernels.KernelSupport;

/**
 * The error function {@code erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt}, which java.lang.Math lacks.
 *
 * <p>Two versions: {@link #erf(double)} is accurate to a few ulp of double and serves double tensors and tests;
 * {@link #erf(float)} is the fast float32 path used by Erf and Gelu on float tensors (Gelu runs it once per activation
 * of every transformer feed-forward layer), accurate to about 3e-7 relative, i.e. a few float ulp.
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    private Erf() {
    }

    /**
     * {@code out[i] = erf(in[i])} over an index range: the Vector API form when kernels are vectorised (resolved only
     * then, so this class loads without the incubator module), else the scalar {@link #erf(float)} loop.
     */
    static FloatArrayMap floatArrays() {
        return KernelSupport.vectorEnabled() ? (in, out, from, to) -> VectorErf.erf(in, out, from, to)
                : FloatArrayMap.of(Erf::erf);
    }

    /**
     * Double-precision erf.
     *
     * <p>For |x| &lt; 3 the series {@code erf(x) = 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x / (1*3*...*(2n+1))}
     * (Abramowitz and Stegun 7.1.6): every term is positive, so unlike the alternating Taylor series it loses nothing to
     * cancellation. For 3 &lt;= |x| &lt; 6 the continued fraction of erfc (A&amp;S 7.1.14) evaluated by Lentz's method,
     * which converges fast there. From |x| = 6 on, erfc(x) &lt; 2e-17 and erf rounds to +-1.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax >= 6) {
            return Math.copySign(1.0, x);
        }
        if (ax < 3) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200 && Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        }
        return Math.copySign(1.0 - erfcContinuedFraction(ax), x);
    }

    /** erfc(x) for x >= 3: {@code e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}. */
    private static double erfcContinuedFraction(double x) {
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n * 0.5;
            d = x + a * d;
            d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return ONE_OVER_SQRT_PI * Math.exp(-x * x) / f;
    }

    /**
     * Float32 erf: the odd Taylor polynomial through x^13 for |x| &lt; 0.5 (truncation error &lt; 2e-9 relative), and
     * Hastings' rational approximation (Abramowitz and Stegun 7.1.26, absolute error &lt;= 1.5e-7) above, where
     * erf(x) &gt; 0.52 keeps that error relative-small too.
     */
    public static float erf(float xf) {
        double x = xf;
        double ax = Math.abs(x);
        if (ax < 0.5) {
            double z = x * x;
            double p = 1.0 / 9360;
            p = p * z * -1 + 1.0 / 1320;
            p = p * z * -1 + 1.0 / 216;
            p = p * z * -1 + 1.0 / 42;
            p = p * z * -1 + 1.0 / 10;
            p = p * z * -1 + 1.0 / 3;
            p = p * z * -1 + 1.0;
            return (float) (TWO_OVER_SQRT_PI * x * p);
        }
        if (ax >= 4 || Double.isNaN(x)) {
            return Double.isNaN(x) ? xf : Math.copySign(1f, xf); // erfc(4) = 1.5e-8 rounds away in float
        }
        double t = 1 / (1 + 0.3275911 * ax);
        double poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
        return (float) Math.copySign(1 - poly * Math.exp(-ax * ax), x);
    }
}
