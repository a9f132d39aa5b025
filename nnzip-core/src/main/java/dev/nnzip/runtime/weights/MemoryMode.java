package dev.nnzip.runtime.weights;

import java.util.Locale;

/**
 * When decoded weights exist (DESIGN.md, WeightStore; Smart-DNN+'s partial decompression).
 *
 * <ul>
 *   <li>{@code eager}: everything decoded at load — the conventional workflow and the baseline;
 *   <li>{@code layerwise}: a node's weights decoded just before it runs, released after their last use in the run;
 *   <li>{@code prefetch}: layerwise, plus a background thread decoding the next node's weights while the current one
 *       computes (at most one node ahead);
 *   <li>{@code budget=BYTES}: decoded weights cached (least recently used evicted) while under the budget; the rest
 *       decoded on demand.
 * </ul>
 */
public record MemoryMode(Kind kind, long budgetBytes) {
    public enum Kind { EAGER, LAYERWISE, PREFETCH, BUDGET }

    public static final MemoryMode EAGER = new MemoryMode(Kind.EAGER, 0);
    public static final MemoryMode LAYERWISE = new MemoryMode(Kind.LAYERWISE, 0);
    public static final MemoryMode PREFETCH = new MemoryMode(Kind.PREFETCH, 0);

    public MemoryMode {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budget must be >= 0 bytes, was " + budgetBytes);
        }
    }

    public static MemoryMode budget(long bytes) {
        return new MemoryMode(Kind.BUDGET, bytes);
    }

    /** Parses "eager", "layerwise", "prefetch" or "budget=BYTES" (BYTES may end in k, m or g: powers of 1024). */
    public static MemoryMode parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("budget=")) {
            return budget(parseBytes(s.substring(7), text));
        }
        return switch (s) {
            case "eager" -> EAGER;
            case "layerwise" -> LAYERWISE;
            case "prefetch" -> PREFETCH;
            default -> throw new IllegalArgumentException("unknown memory mode '" + text
                    + "', expected one of eager, layerwise, prefetch, budget=BYTES (e.g. budget=16m)");
        };
    }

    private static long parseBytes(String v, String original) {
        long mult = 1;
        String digits = v;
        if (!v.isEmpty()) {
            char last = v.charAt(v.length() - 1);
            mult = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
            };
            if (mult != 1) {
                digits = v.substring(0, v.length() - 1);
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad budget in memory mode '" + original
                    + "', expected budget=BYTES with an optional k/m/g suffix, e.g. budget=16m");
        }
    }

    @Override
    public String toString() {
        return kind == Kind.BUDGET ? "budget=" + budgetBytes : kind.name().toLowerCase(Locale.ROOT);
    }
}
