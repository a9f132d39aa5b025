package dev.nnzip.codec.smartdnn;

/**
 * Per-row bucket widths: a row (output channel) whose spread is below the tensor's gets a proportionally finer grid, so
 * every row is quantized at least as finely, relative to its own scale, as the tensor is relative to its own.
 *
 * <p>Why: a weight row feeds one output channel, whose quantization noise-to-signal ratio is {@code Δ²/(12·s²)} for a
 * step Δ over weights of RMS {@code s} (the same argument as {@code compress.BoundAllocation}, one level down). With one
 * step for the tensor, a channel several times narrower than the rest — common once a BatchNormalization scale is folded
 * into the filter — gets several times the noise-to-signal ratio of its neighbours, or is flattened to zero. Here row
 * {@code r} gets {@code Δ_r = Δ·2^(−k_r/8)} with {@code k_r = round(8·log2(s/s_r))} clamped to {@code [0, 255]}
 * ({@code s} = RMS of the tensor, {@code s_r} = RMS of the row): rows at or above the tensor's RMS keep Δ, narrower ones
 * get {@code Δ·s_r/s} to the nearest eighth of an octave (rounded, not floored: rows of an evenly scaled layer scatter
 * a little around the tensor's RMS, and flooring would give half of them a 9 % finer grid for nothing). Every
 * {@code Δ_r <= Δ}, so the tensor's error bound still holds for every value; the price is the extra bits of the narrow
 * rows.
 *
 * <p>The exponent is stored (one byte per row) rather than the step, and both sides compute the step as
 * {@code step × FACTOR[k]} in float, so encoder and decoder use bit-identical widths.
 */
final class RowSteps {
    /** Exponents are in eighths of an octave: a row's width is within 4.4 % of what its own scale asks for. */
    private static final int PER_OCTAVE = 8;
    static final int MAX_EXPONENT = 255;
    private static final float[] FACTOR = new float[MAX_EXPONENT + 1];

    static {
        for (int k = 0; k <= MAX_EXPONENT; k++) {
            FACTOR[k] = (float) StrictMath.pow(2, -k / (double) PER_OCTAVE);
        }
    }

    private RowSteps() {
    }

    /** The width of a row with exponent {@code k}: {@code step × 2^(−k/8)}, never above {@code step}. */
    static float step(float step, int k) {
        return step * FACTOR[k];
    }

    /** The exponent of each row of {@code rowLength} values (the last row may be shorter); rows of zeros get 0. */
    static byte[] exponents(float[] values, int rowLength) {
        int n = values.length;
        int rows = Remapper.groupCount(n, rowLength);
        double total = 0;
        long finite = 0;
        double[] rowSquares = new double[rows];
        long[] rowCount = new long[rows];
        for (int i = 0; i < n; i++) {
            float w = values[i];
            if (Float.isFinite(w)) {
                double sq = (double) w * w;
                rowSquares[i / rowLength] += sq;
                rowCount[i / rowLength]++;
                total += sq;
                finite++;
            }
        }
        byte[] k = new byte[rows];
        if (finite == 0 || total == 0) {
            return k;
        }
        double tensorRms = Math.sqrt(total / finite);
        for (int r = 0; r < rows; r++) {
            if (rowSquares[r] == 0) {
                continue; // all zeros: every width reconstructs them exactly
            }
            double rowRms = Math.sqrt(rowSquares[r] / rowCount[r]);
            double octaves = Math.log(tensorRms / rowRms) / Math.log(2);
            k[r] = (byte) Math.clamp(Math.round(PER_OCTAVE * octaves), 0, MAX_EXPONENT);
        }
        return k;
    }

    /** {@code step × FACTOR[k_r]} for each row. */
    static float[] widths(float step, byte[] exponents) {
        float[] widths = new float[exponents.length];
        for (int r = 0; r < exponents.length; r++) {
            widths[r] = step(step, exponents[r] & 0xFF);
        }
        return widths;
    }
}
