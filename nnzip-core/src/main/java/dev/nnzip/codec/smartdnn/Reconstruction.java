package dev.nnzip.codec.smartdnn;

import dev.nnzip.codec.quant.QuantCodes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The fast decoder's reconstruction loops, scalar, with a Vector API path when the incubator module is present (the
 * llama3.java pattern: one flag picks the path; {@code -Dnnzip.codec.vector=false} forces scalar, e.g. to compare).
 */
final class Reconstruction {
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Boolean.parseBoolean(System.getProperty("nnzip.codec.vector", "true"));
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Reconstruction() {
    }

    /**
     * {@code out[offset+i] = ±(α_s + (symbols[i] − CENTER)·step)} for {@code i} in {@code [from, to)}, sign bit {@code i}
     * being bit {@code i & 7} of {@code signs[i >>> 3]}. The sign is applied by flipping the float's sign bit, which is
     * exactly what unary minus does, so there is no branch on it.
     */
    static void signed(byte[] signs, int[] symbols, int from, int to, float alphaP, float alphaN, float step,
                       float[] out, int offset) {
        int i = from;
        if (VECTOR) {
            int aligned = Math.min(to, (from + 7) & ~7);
            scalar(signs, symbols, i, aligned, alphaP, alphaN, step, out, offset);
            i = aligned < to ? VectorReconstruction.reconstruct(signs, symbols, aligned, to, alphaP, alphaN, step, out,
                    offset) : to;
        }
        scalar(signs, symbols, i, to, alphaP, alphaN, step, out, offset);
    }

    static void scalar(byte[] signs, int[] symbols, int from, int to, float alphaP, float alphaN, float step,
                               float[] out, int offset) {
        for (int i = from; i < to; i++) {
            int bit = signs[i >>> 3] >>> (i & 7) & 1;
            float magnitude = (bit == 0 ? alphaP : alphaN) + (float) (symbols[i] - QuantCodes.CENTER) * step;
            out[offset + i] = Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) ^ (bit << 31));
        }
    }

    /**
     * Spreads an elided sign stream (one bit per {@link SmartDnnQuantizer#signed signed} value, in order) to one bit per
     * value, zero for unsigned values, into {@code aligned[0, ceil(count/8))}.
     *
     * <p>64 values at a time: the mask of signed values selects where the next {@code bitCount(mask)} stream bits go,
     * which is exactly {@link Long#expand} (PDEP on x86 with BMI2).
     *
     * @param signs the elided stream, followed by at least 16 readable bytes
     * @param aligned output, at least {@code ceil(count/64)·8} bytes
     */
    static int expandElidedSigns(byte[] signs, int[] symbols, int count, byte[] aligned) {
        return expandElidedSigns(signs, symbols, count, aligned, VECTOR);
    }

    /** Returns the number of stored signs consumed (one per signed value), which the caller checks against the stream. */
    static int expandElidedSigns(byte[] signs, int[] symbols, int count, byte[] aligned, boolean vector) {
        long cursor = 0;
        for (int base = 0; base < count; base += 64) {
            int len = Math.min(64, count - base);
            long mask;
            if (vector && len == 64) {
                mask = VectorReconstruction.signedMask64(symbols, base);
            } else {
                mask = 0;
                for (int k = 0; k < len; k++) {
                    if (SmartDnnQuantizer.signed(symbols[base + k])) {
                        mask |= 1L << k;
                    }
                }
            }
            int at = (int) (cursor >>> 3);
            int shift = (int) (cursor & 7);
            long next = (long) LE_LONG.get(signs, at) >>> shift;
            if (shift != 0) {
                next |= (long) (signs[at + 8] & 0xFF) << (64 - shift);
            }
            LE_LONG.set(aligned, base >>> 3, Long.expand(next, mask));
            cursor += Long.bitCount(mask);
        }
        return (int) cursor;
    }
}
