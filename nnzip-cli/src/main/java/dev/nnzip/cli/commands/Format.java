package dev.nnzip.cli.commands;

import java.util.Locale;

/** Human-readable figures for the CLI's output. */
final class Format {
    private Format() {
    }

    static String bytes(long b) {
        if (b < 0) {
            return "n/a";
        }
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
    }

    static String millis(double ms) {
        return String.format(Locale.ROOT, "%.3f ms", ms);
    }

    /** {@code s} cut to its last {@code n} characters behind "..." (names differ at their ends: layer.5.output...). */
    static String abbreviate(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n + 3);
    }
}
