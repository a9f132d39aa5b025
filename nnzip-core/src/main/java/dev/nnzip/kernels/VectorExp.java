package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^x} for a vector of floats with a fixed sequence of IEEE additions, multiplications and FMAs (Cephes
 * {@code expf}: range reduction {@code x = n·ln2 + r} with ln2 split in two, a degree-6 polynomial, scaling by
 * {@code 2^n} in the exponent bits). Within 2 ulp of the exact value wherever the result is a normal float (checked against {@code Math.exp} on random
 * inputs in VectorExpTest).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: that is an SVML intrinsic once C2 compiles the caller but a
 * {@code Math.exp} loop in the interpreter and C1, and the two differ in the last bit. A model's outputs then changed
 * while the JIT warmed up, so two runs of the same input (in two memory modes, or before and after warm-up) were not
 * bit-identical. Every operation here is exactly specified, so every tier gives the same bits.
 *
 * <p>Internal to nnzip's kernels and operators (public only because they live in several packages); callers must
 * have checked {@link KernelSupport#vectorEnabled()}.
 */
public final class VectorExp {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    private VectorExp() {
    }

    /**
     * {@code e^x} lane by lane; inputs above 88.72 give +Inf, below -87.34 give 0 (no subnormal results: softmax and
     * erf, the callers, lose nothing by it), NaN stays NaN.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(-87.33654f).min(88.72284f);
        FloatVector t = c.mul(LOG2E).add(ROUNDER); // round(x·log2 e), held in the low mantissa bits
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = c.sub(n.mul(LN2_HI)); // exact: LN2_HI has 9 significant bits
        r = r.sub(n.mul(LN2_LO));
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.mul(r).add(8.3334519073e-3f);
        p = p.mul(r).add(4.1665795894e-2f);
        p = p.mul(r).add(1.6666665459e-1f);
        p = p.mul(r).add(5.0000001201e-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n, split in two factors so n = 128 (x just below the overflow threshold) stays representable.
        IntVector ni = t.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector y = p.mul(s1).mul(s2);
        // Outside the clamped range: overflow to +Inf, underflow to 0, NaN through.
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 88.72284f));
        y = y.blend(0f, x.compare(VectorOperators.LT, -87.33654f)); // results below the normal range flush to 0
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }
}
