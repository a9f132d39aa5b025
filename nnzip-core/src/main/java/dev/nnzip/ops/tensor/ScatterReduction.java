package dev.nnzip.ops.tensor;

import java.util.Arrays;

/**
 * How ScatterND / ScatterElements combine an update with the value already in the output: {@code none} (overwrite,
 * all opsets), {@code add} and {@code mul} (opset 16+), {@code max} and {@code min} (opset 18+). For bool tensors add/max
 * are logical or and mul/min logical and, as numpy defines them.
 */
enum ScatterReduction {
    NONE, ADD, MUL, MAX, MIN;

    static ScatterReduction parse(String name, int opset, String op) {
        ScatterReduction r = switch (name) {
            case "none" -> NONE;
            case "add" -> ADD;
            case "mul" -> MUL;
            case "max" -> MAX;
            case "min" -> MIN;
            default -> throw new IllegalArgumentException(op + " reduction '" + name
                    + "' is not one of [none, add, mul, max, min]");
        };
        int since = r == NONE ? 1 : r == ADD || r == MUL ? 16 : 18;
        if (opset < since) {
            throw new IllegalArgumentException(op + " reduction '" + name + "' needs opset " + since + ", the model has "
                    + opset);
        }
        return r;
    }

    /** Combines {@code n} consecutive elements of {@code src} from {@code srcPos} into {@code dst} from {@code dstPos}. */
    void apply(Object dst, int dstPos, Object src, int srcPos, int n) {
        if (this == NONE) {
            System.arraycopy(src, srcPos, dst, dstPos, n);
            return;
        }
        switch (dst) {
            case float[] d -> {
                float[] s = (float[]) src;
                for (int i = 0; i < n; i++) {
                    float a = d[dstPos + i];
                    float b = s[srcPos + i];
                    d[dstPos + i] = switch (this) {
                        case ADD -> a + b;
                        case MUL -> a * b;
                        case MAX -> Math.max(a, b);
                        default -> Math.min(a, b);
                    };
                }
            }
            case double[] d -> {
                double[] s = (double[]) src;
                for (int i = 0; i < n; i++) {
                    double a = d[dstPos + i];
                    double b = s[srcPos + i];
                    d[dstPos + i] = switch (this) {
                        case ADD -> a + b;
                        case MUL -> a * b;
                        case MAX -> Math.max(a, b);
                        default -> Math.min(a, b);
                    };
                }
            }
            case long[] d -> {
                long[] s = (long[]) src;
                for (int i = 0; i < n; i++) {
                    long a = d[dstPos + i];
                    long b = s[srcPos + i];
                    d[dstPos + i] = switch (this) {
                        case ADD -> a + b;
                        case MUL -> a * b;
                        case MAX -> Math.max(a, b);
                        default -> Math.min(a, b);
                    };
                }
            }
            case boolean[] d -> {
                boolean[] s = (boolean[]) src;
                for (int i = 0; i < n; i++) {
                    boolean a = d[dstPos + i];
                    boolean b = s[srcPos + i];
                    d[dstPos + i] = this == ADD || this == MAX ? a | b : a & b;
                }
            }
            default -> throw new IllegalArgumentException("reduction " + name().toLowerCase()
                    + " is not defined for " + dst.getClass().getSimpleName() + " tensors; valid storage: "
                    + Arrays.asList("float", "double", "integer", "bool"));
        }
    }
}
