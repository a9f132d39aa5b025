package dev.nnzip.codec.sz;

import dev.nnzip.codec.quant.QuantCodes;

/**
 * The two SZ predictors and the reconstruction they share; the encoder's bound check and both decoders use these methods,
 * so predictions and reconstructions agree to the bit.
 *
 * <ul>
 *   <li>Lorenzo (1-D): {@code p_i = ŵ_{i−1}}, the previous <em>reconstructed</em> value (0 at a block start), so the
 *       decoder can follow the encoder exactly (SZ 1.4, Tao et al., IPDPS 2017).</li>
 *   <li>Linear regression per segment: {@code p_j = a + b·j} for the segment's {@code j}-th value, with {@code a} and
 *       {@code b} quantized to multiples of {@code step} and {@code step/segmentLength} (SZ 2, Liang et al., Big Data
 *       2018).</li>
 * </ul>
 */
final class SzPredictor {
    /** Coefficient bins are kept within ±2^30 so they fit a varint and the products stay finite. */
    static final int MAX_COEFFICIENT = 1 << 30;

    private SzPredictor() {
    }

    static float reconstruct(float prediction, int symbol, float step) {
        return prediction + (float) (symbol - QuantCodes.CENTER) * step;
    }

    static float regression(float a, float b, int j) {
        return a + b * (float) j;
    }

    static float intercept(int aq, float step) {
        return (float) aq * step;
    }

    static float slope(int bq, float slopeStep) {
        return (float) bq * slopeStep;
    }

    /** The slope quantum: {@code step / segmentLength}, so a one-bin slope error moves the segment's end by one bin. */
    static float slopeStep(float step, int segmentLength) {
        return step / (float) segmentLength;
    }
}
