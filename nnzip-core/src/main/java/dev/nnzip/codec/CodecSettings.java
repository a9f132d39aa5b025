package dev.nnzip.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The settings of one codec stage, {@code key=value} pairs as written after the codec name in a {@link CodecSpec}
 * ({@code int4:block=64}). The survey codecs (int8, int4, k-means, pruning) are not error-bounded in the
 * {@code |w − ŵ| <= eb} sense: what the user chooses is a bit width, a group size or a sparsity, and this is where those
 * choices are read. A codec states the keys it knows; {@link #check} rejects any other key listing the valid ones, and the
 * typed getters reject values out of range naming the key and the range, so every codec words these errors the same way.
 */
public final class CodecSettings {
    private static final CodecSettings NONE = new CodecSettings(Map.of());

    private final Map<String, String> values;

    private CodecSettings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static CodecSettings none() {
        return NONE;
    }

    /** Settings from already split pairs (kept in the given order, which is the order {@link #toString} prints). */
    public static CodecSettings of(Map<String, String> values) {
        return values.isEmpty() ? NONE : new CodecSettings(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Map<String, String> asMap() {
        return values;
    }

    /**
     * Throws unless every key is one of {@code validKeys}.
     *
     * @param validKeys key → one-line description, listed in the error
     */
    public void check(String codec, Map<String, String> validKeys) {
        for (String key : values.keySet()) {
            if (!validKeys.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' for codec '" + codec + "'; "
                        + (validKeys.isEmpty() ? "it takes no settings" : "valid: " + describe(validKeys)));
            }
        }
    }

    private static String describe(Map<String, String> keys) {
        StringJoiner j = new StringJoiner(", ");
        keys.forEach((k, d) -> j.add(k + " (" + d + ")"));
        return j.toString();
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** An integer setting in {@code [min, max]}, or {@code fallback} when absent. */
    public int getInt(String codec, String key, int fallback, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(codec + ": setting '" + key + "' must be an integer in [" + min + ", "
                    + max + "], was '" + v + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(codec + ": setting '" + key + "' must be in [" + min + ", " + max
                    + "], was " + parsed);
        }
        return parsed;
    }

    /** A finite number in {@code [min, max]}, or {@code fallback} when absent. */
    public double getDouble(String codec, String key, double fallback, double min, double max) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            parsed = Double.NaN;
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new IllegalArgumentException(codec + ": setting '" + key + "' must be a number in [" + min + ", "
                    + max + "], was '" + v + "'");
        }
        return parsed;
    }

    /** {@code true}/{@code false} (also {@code 1}/{@code 0}, {@code yes}/{@code no}), or {@code fallback} when absent. */
    public boolean getBoolean(String codec, String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(codec + ": setting '" + key + "' must be true or false, was '"
                    + v + "'");
        };
    }

    /** {@code k=v,k=v} in the given order; empty for no settings. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",");
        values.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodecSettings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
