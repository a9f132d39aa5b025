package dev.nnzip.ops.math;

/** Writes {@code out[i] = f(in[i])} for {@code i} in {@code [from, to)}: one float32 unary op over an index range. */
@FunctionalInterface
public interface FloatArrayMap {
    void apply(float[] in, float[] out, int from, int to);

    /** The loop around an arbitrary function. */
    static FloatArrayMap of(FloatUnaryOperator f) {
        return (in, out, from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = f.apply(in[i]);
            }
        };
    }
}
