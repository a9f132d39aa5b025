package dev.nnzip.ops.math;

import dev.nnzip.tensor.DType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;

/**
 * Number ↔ string conversion as Cast to and from STRING does it in the ONNX reference (numpy's {@code str()} of a
 * scalar): the shortest decimal that reads back to the same value of the source type, positional for decimal exponents
 * in [-4, 16), scientific with a two-digit exponent otherwise ({@code 0.039187793}, {@code 1e-05}, {@code 1.5e+16}), and
 * {@code nan}, {@code inf}, {@code -inf}. Parsing accepts those spellings in any case plus ordinary decimal numbers.
 */
final class NumpyStrings {
    private NumpyStrings() {
    }

    /** The numpy string of a value of a float-stored type (FLOAT, FLOAT16 or BFLOAT16). */
    static String format(DType type, float v) {
        if (type == DType.FLOAT) {
            return special(v).orElseGet(() -> layout(new BigDecimal(Float.toString(v)), v < 0 || isNegativeZero(v)));
        }
        return special(v).orElseGet(() -> layout(shortestRoundTrip(type, v), v < 0 || isNegativeZero(v)));
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        // Double.toString gives the shortest round-trip decimal since JDK 19 (JDK-4511638)
        return layout(new BigDecimal(Double.toString(v)), v < 0 || (v == 0 && 1 / v < 0));
    }

    private static Optional<String> special(float v) {
        if (Float.isNaN(v)) {
            return Optional.of("nan");
        }
        if (Float.isInfinite(v)) {
            return Optional.of(v > 0 ? "inf" : "-inf");
        }
        return Optional.empty();
    }

    private static boolean isNegativeZero(float v) {
        return v == 0 && Float.floatToRawIntBits(v) != 0;
    }

    /** Fewest significant digits that read back (by correct rounding to {@code type}) as {@code v}. */
    private static BigDecimal shortestRoundTrip(DType type, float v) {
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits < 9; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (HalfPrecision.fromDouble(type, candidate.doubleValue()) == v) {
                return candidate;
            }
        }
        return new BigDecimal(Float.toString(v));
    }

    private static String layout(BigDecimal value, boolean negative) {
        String sign = negative ? "-" : "";
        if (value.signum() == 0) {
            return sign + "0.0";
        }
        BigDecimal abs = value.abs().stripTrailingZeros();
        int exponent = abs.precision() - abs.scale() - 1; // decimal exponent of the leading digit
        if (exponent < -4 || exponent >= 16) {
            String digits = abs.unscaledValue().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int e = Math.abs(exponent);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
        }
        String plain = abs.toPlainString();
        return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
    }

    /** Parses a floating-point string: decimal, or nan / inf / infinity with an optional sign, in any case. */
    static double parseDouble(String s) {
        String t = s.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Cast cannot read '" + s + "' as a number", e);
        }
    }

    /** As {@link #parseDouble} but rounded once, directly to float32. */
    static float parseFloat(String s) {
        double d = parseDouble(s);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return (float) d;
        }
        return Float.parseFloat(s.strip());
    }

    /** Parses an integer string for an integer type; a decimal fraction is truncated like a float cast. */
    static long parseInteger(DType type, String s) {
        String t = s.strip();
        try {
            long v = type == DType.UINT64 ? Long.parseUnsignedLong(t.startsWith("+") ? t.substring(1) : t)
                    : Long.parseLong(t);
            return IntegerTypes.wrap(type, v);
        } catch (NumberFormatException e) {
            return IntegerTypes.fromDouble(type, parseDouble(t));
        }
    }

    /** Parses a bool: true/false in any case, or a number (non-zero is true). */
    static boolean parseBoolean(String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        return parseDouble(t) != 0;
    }
}
