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

    /**
     * Dispatches to one small method per activation. Why not one loop per case in a single switch: the combined method
     * (with SIGMOID's EXP) grew past C2's inlining budget, the FloatVector calls of every case stayed un-intrinsified
     * and boxed, and a ReLU6 epilogue took 20 % of MobileNetV2's time (JFR).
     */
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
        switch (act.kind()) {
            case NONE -> addOnly(x, off, vecEnd, addBias, bias);
            case RELU -> relu(x, off, vecEnd, addBias, bias);
            case LEAKY_RELU -> leakyRelu(x, off, vecEnd, addBias, bias, act.alpha());
            case CLIP -> clip(x, off, vecEnd, addBias, bias, act.alpha(), act.beta());
            case SIGMOID -> sigmoid(x, off, vecEnd, addBias, bias);
            case HARD_SWISH -> hardSwish(x, off, vecEnd, addBias, bias, act.alpha(), act.beta());
        }
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
            FloatVector e = load(x, i, addBias, b).neg().lanewise(VectorOperators.EXP);
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
