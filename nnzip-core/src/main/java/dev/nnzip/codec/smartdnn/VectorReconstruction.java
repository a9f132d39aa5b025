package dev.nnzip.codec.smartdnn;

import dev.nnzip.codec.quant.QuantCodes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels of the smartdnn fast decoder. Loaded only when the {@code jdk.incubator.vector} module is present
 * ({@link Reconstruction#VECTOR}); nothing outside this package sees these types.
 *
 * <p>Eight lanes, so one sign byte covers one vector: the byte indexes a table of eight sign-bit patterns, which both selects
 * α⁺/α⁻ (blend) and flips the sign (xor). The arithmetic is the scalar's, lane by lane: int→float conversion, one
 * multiply, one add (no FMA), so the results are bit-identical to {@link SmartDnnQuantizer#reconstruct}.
 */
final class VectorReconstruction {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    /** {@code SIGN_BITS[8·b + k]} = bit k of byte b moved to bit 31. */
    private static final int[] SIGN_BITS = new int[256 * 8];

    static {
        for (int b = 0; b < 256; b++) {
            for (int k = 0; k < 8; k++) {
                SIGN_BITS[8 * b + k] = ((b >>> k) & 1) << 31;
            }
        }
    }

    private VectorReconstruction() {
    }

    /**
     * {@code out[offset+i] = ±(α_s + (symbols[i] − CENTER)·step)} for {@code i} in {@code [from, to)}, where {@code from}
     * is a multiple of 8 and sign bit {@code i} is bit {@code i & 7} of {@code signs[i >>> 3]}.
     *
     * @return the first index not done (the caller finishes the {@code < 8} rest)
     */
    static int reconstruct(byte[] signs, int[] symbols, int from, int to, float alphaP, float alphaN, float step,
                           float[] out, int offset) {
        FloatVector vStep = FloatVector.broadcast(FLOATS, step);
        FloatVector vAlphaP = FloatVector.broadcast(FLOATS, alphaP);
        FloatVector vAlphaN = FloatVector.broadcast(FLOATS, alphaN);
        IntVector center = IntVector.broadcast(INTS, QuantCodes.CENTER);
        int i = from;
        for (; i <= to - 8; i += 8) {
            IntVector signBits = IntVector.fromArray(INTS, SIGN_BITS, (signs[i >>> 3] & 0xFF) << 3);
            VectorMask<Float> negative = signBits.compare(VectorOperators.NE, 0).cast(FLOATS);
            FloatVector m = (FloatVector) IntVector.fromArray(INTS, symbols, i).sub(center)
                    .convert(VectorOperators.I2F, 0);
            FloatVector magnitude = vAlphaP.blend(vAlphaN, negative).add(m.mul(vStep));
            magnitude.reinterpretAsInts().lanewise(VectorOperators.XOR, signBits).reinterpretAsFloats()
                    .intoArray(out, offset + i);
        }
        return i;
    }

    /**
     * Bit {@code k} of the result is set iff {@code symbols[from + k]} carries a sign bit in an elided sign stream
     * ({@link SmartDnnQuantizer#signed}), for {@code k < 64}; {@code from + 64 <= symbols.length}.
     */
    static long signedMask64(int[] symbols, int from) {
        IntVector center = IntVector.broadcast(INTS, QuantCodes.CENTER);
        long mask = 0;
        for (int k = 0; k < 64; k += 8) {
            IntVector s = IntVector.fromArray(INTS, symbols, from + k);
            VectorMask<Integer> signed = s.compare(VectorOperators.NE, center)
                    .and(s.compare(VectorOperators.NE, QuantCodes.ESCAPE));
            mask |= signed.toLong() << k;
        }
        return mask;
    }
}
