package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API form of {@link Activation#apply(float)} over a run of floats; the tail uses the scalar definition. */
final class VectorActivation {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorActivation() {
    }

    /** One activation's vector loop over {@code [from, to)}, whole vectors; {@code addBias}: add {@code bias} first. */
    @FunctionalInterface
    private interface Loop {
        void run(float[] x, int from, int to, boolean addBias, float bias, Activation act);
    }

    /**
     * The loops by {@link Activation.Kind} ordinal, called through this table on purpose. A switch calling them all
     * from one method let C2 inline every case into the caller until it ran out of inlining budget; the Vector API
     * calls left out of line are not intrinsified and box every vector, and a bias + ReLU6 epilogue took 15-20 % of
     * MobileNetV2's time (JFR). Through a megamorphic call each loop is compiled on its own, fully intrinsified.
     */
    private static final Loop[] LOOPS = new Loop[Activation.Kind.values().length];

    static {
        LOOPS[Activation.Kind.NONE.ordinal()] = (x, f, t, ab, b, a) -> addOnly(x, f, t, ab, b);
        LOOPS[Activation.Kind.RELU.ordinal()] = (x, f, t, ab, b, a) -> relu(x, f, t, ab, b);
        LOOPS[Activation.Kind.LEAKY_RELU.ordinal()] = (x, f, t, ab, b, a) -> leakyRelu(x, f, t, ab, b, a.alpha());
        LOOPS[Activation.Kind.CLIP.ordinal()] = (x, f, t, ab, b, a) -> clip(x, f, t, ab, b, a.alpha(), a.beta());
        LOOPS[Activation.Kind.SIGMOID.ordinal()] = (x, f, t, ab, b, a) -> sigmoid(x, f, t, ab, b);
        LOOPS[Activation.Kind.HARD_SWISH.ordinal()] = (x, f, t, ab, b, a) -> hardSwish(x, f, t, ab, b, a.alpha(),
                a.beta());
    }

    static void apply(Activation act, float[] x, int off, int n) {
        apply(act, x, off, n, false, 0f);
    }

    /**
     * {@code x = act(x + bias)} in one pass over the run (a convolution's epilogue for one output channel): the same
     * two roundings as adding the bias first and activating after, without reading the run twice.
     */
    static void applyWithBias(Activation act, float[] x, int off, int n, float bias) {
        apply(act, x, off, n, true, bias);
    }

    private static void apply(Activation act, float[] x, int off, int n, boolean addBias, float bias) {
        int vecEnd = off + (n - n % L);
        LOOPS[act.kind().ordinal()].run(x, off, vecEnd, addBias, bias, act);
        for (int i = vecEnd, end = off + n; i < end; i++) {
            x[i] = act.apply(addBias ? x[i] + bias : x[i]);
        }
    }

    private static FloatVector load(float[] x, int i, boolean addBias, FloatVector bias) {
        FloatVector v = FloatVector.fromArray(S, x, i);
        return addBias ? v.add(bias) : v;
    }

    private static void addOnly(float[] x, int from, int to, boolean addBias, float bias) {
        if (!addBias) {
            return;
        }
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int i = from; i < to; i += L) {
            FloatVector.fromArray(S, x, i).add(b).intoArray(x, i);
        }
    }

    private static void relu(float[] x, int from, int to, boolean addBias, float bias) {
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector zero = FloatVector.zero(S);
        for (int i = from; i < to; i += L) {
            load(x, i, addBias, b).max(zero).intoArray(x, i);
        }
    }

    private static void leakyRelu(float[] x, int from, int to, boolean addBias, float bias, float alpha) {
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int i = from; i < to; i += L) {
            FloatVector v = load(x, i, addBias, b);
            v.blend(v.mul(alpha), v.compare(VectorOperators.LT, 0f)).intoArray(x, i);
        }
    }

    private static void clip(float[] x, int from, int to, boolean addBias, float bias, float min, float max) {
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector lo = FloatVector.broadcast(S, min);
        FloatVector hi = FloatVector.broadcast(S, max);
        for (int i = from; i < to; i += L) {
            load(x, i, addBias, b).max(lo).min(hi).intoArray(x, i);
        }
    }

    private static void sigmoid(float[] x, int from, int to, boolean addBias, float bias) {
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = from; i < to; i += L) {
            FloatVector e = VectorExp.exp(load(x, i, addBias, b).neg());
            one.div(e.add(one)).intoArray(x, i);
        }
    }

    private static void hardSwish(float[] x, int from, int to, boolean addBias, float bias, float alpha, float beta) {
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int i = from; i < to; i += L) {
            FloatVector v = load(x, i, addBias, b);
            v.mul(v.fma(alpha, beta).max(0f).min(1f)).intoArray(x, i);
        }
    }
}
