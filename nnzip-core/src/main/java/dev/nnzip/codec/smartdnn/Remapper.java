package dev.nnzip.codec.smartdnn;

import dev.nnzip.codec.entropy.HuffmanCode;
import dev.nnzip.codec.quant.QuantCodes;
import dev.nnzip.codec.smartdnn.Remapping.Statistic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The remapping step: picks the binary quantizer's scales and the coding contexts by trying candidates and keeping the one
 * with the smallest estimated coded size. Smart-DNN+ names the step but publishes no formula, so this is our design.
 *
 * <p>Candidates:
 * <ul>
 *   <li>Statistic: {@link Statistic#ZERO}, {@link Statistic#MEAN} or {@link Statistic#MEDIAN} of |w|, separately for
 *       positive and negative weights (α⁺, α⁻; trained layers are often skewed).</li>
 *   <li>Granularity: one (α⁺, α⁻) per tensor, or per row of the leading dimension (an output channel of a Conv or Gemm
 *       weight), at 64 bits per row.</li>
 *   <li>Scale classes (per-row only): rows sorted by mean |w| and cut into 1, 2, 4, 8 or 16 equal-count classes, each
 *       with its own Huffman code (8 bits per row for the class id, ~100–300 bytes per code).</li>
 *   <li>One code per class for the folded ids of both signs, or one per sign.</li>
 *   <li>With α = 0 and folded codes, the sign bit of a value whose id is 0 is not stored: its reconstruction is a zero
 *       whatever the sign. Otherwise every sign is stored, one bit each.</li>
 * </ul>
 *
 * <p>Why more than a scale: with an entropy coder, shifting a distribution does not change its entropy, so scales alone
 * cannot make a symmetric unimodal layer cheaper than plain uniform quantization; with every sign stored as its own bit
 * they even cost {@code P(|w| < eb)} bits per value more (signs of values that reconstruct to zero), hence the elision.
 * What the binary split does give is a per-channel description of the weights: channels of a trained layer differ in scale
 * by factors of several, and coding each scale class with its own code saves the mixing cost
 * {@code H(id) − H(id | class)} (the reason per-channel int8 beats per-tensor int8).
 *
 * <p>Cost = sign bits + exact Huffman bits of the ids (codes built from the candidate's histograms) + code tables + 32
 * bits per escaped value + scales + class ids, every term counted, so a small tensor keeps one class and one scale. Large
 * tensors are scored on a sample of about 2^18 values in 1 Ki chunks spread over the tensor, and a candidate with more
 * coding contexts must win by 0.1 % per extra context (each is one more stream to decode).
 */
final class Remapper {
    private static final int MIN_ROW_LENGTH = 16;
    /** Candidates are scored on at most about this many values (whole 1 Ki chunks spread over the tensor). */
    private static final int SAMPLE_TARGET = 1 << 18;
    private static final int SAMPLE_CHUNK = 1 << 10;
    private static final int[] CLASS_COUNTS = {1, 2, 4, 8, 16};

    private Remapper() {
    }

    record Choice(Remapping remapping, long estimatedBits, List<String> report) {
    }

    static Choice choose(float[] values, int[] shape, float step) {
        return choose(values, shape, step, null, 1);
    }

    /**
     * @param rowWidths the bucket width of each row of {@code rowLength} values ({@link RowSteps}), or null for
     *                  {@code step} everywhere
     */
    static Choice choose(float[] values, int[] shape, float step, float[] rowWidths, int rowLength) {
        int n = values.length;
        List<Integer> groupLengths = new ArrayList<>();
        groupLengths.add(Math.max(1, n));
        if (step > 0 && shape.length >= 2 && shape[0] > 1 && n / shape[0] >= MIN_ROW_LENGTH) {
            groupLengths.add(n / shape[0]);
        }
        Choice best = null;
        List<String> report = new ArrayList<>();
        for (int groupLength : groupLengths) {
            int groups = groupCount(n, groupLength);
            float[] rowScale = meanAbs(values, groupLength, groups);
            for (Statistic statistic : Statistic.values()) {
                if (step == 0 && statistic != Statistic.ZERO) {
                    continue; // eb = 0: every value is stored raw, scales are irrelevant
                }
                float[][] alphas = scales(values, groupLength, groups, statistic);
                for (int classes : CLASS_COUNTS) {
                    if (classes > 1 && classes * 4 > groups) {
                        break;
                    }
                    byte[] groupClass = classify(rowScale, classes);
                    for (Choice c : evaluate(values, statistic, groupLength, alphas, classes, groupClass, step,
                            rowWidths, rowLength)) {
                        report.add(c.remapping() + ": " + c.estimatedBits() + " bits");
                        if (best == null || score(c) < score(best)) {
                            best = c;
                        }
                    }
                }
            }
        }
        return new Choice(best.remapping(), best.estimatedBits(), report);
    }

    /**
     * Estimated bits with a small surcharge per extra coding context (0.1 % each): every context is one more stream to
     * decode and interleave, so a candidate with more contexts must save real bytes, not sampling noise.
     */
    private static double score(Choice c) {
        return c.estimatedBits() * (1 + 0.001 * (c.remapping().contexts() - 1));
    }

    static int groupCount(int n, int groupLength) {
        return n == 0 ? 1 : (int) ((n + (long) groupLength - 1) / groupLength);
    }

    private static float[] meanAbs(float[] values, int groupLength, int groups) {
        float[] scale = new float[groups];
        for (int g = 0; g < groups; g++) {
            int from = g * groupLength;
            int to = Math.min(values.length, from + groupLength);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += Math.abs(values[i]);
            }
            scale[g] = to > from ? (float) (sum / (to - from)) : 0;
        }
        return scale;
    }

    /** Equal-count classes by ascending row scale (ties broken by row index, so the split is deterministic). */
    static byte[] classify(float[] rowScale, int classes) {
        int groups = rowScale.length;
        byte[] groupClass = new byte[groups];
        if (classes == 1) {
            return groupClass;
        }
        Integer[] order = new Integer[groups];
        for (int g = 0; g < groups; g++) {
            order[g] = g;
        }
        Arrays.sort(order, (x, y) -> {
            int c = Float.compare(rowScale[x], rowScale[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        for (int rank = 0; rank < groups; rank++) {
            groupClass[order[rank]] = (byte) ((long) rank * classes / groups);
        }
        return groupClass;
    }

    /** {α⁺[], α⁻[]} for groups of {@code groupLength} values. */
    static float[][] scales(float[] values, int groupLength, int groups, Statistic statistic) {
        int n = values.length;
        float[] pos = new float[groups];
        float[] neg = new float[groups];
        if (statistic == Statistic.ZERO || n == 0) {
            return new float[][] {pos, neg};
        }
        float[] posAbs = new float[Math.min(n, groupLength)];
        float[] negAbs = new float[Math.min(n, groupLength)];
        for (int g = 0; g < groups; g++) {
            int from = g * groupLength;
            int to = Math.min(n, from + groupLength);
            int np = 0;
            int nn = 0;
            double sumP = 0;
            double sumN = 0;
            for (int i = from; i < to; i++) {
                float w = values[i];
                if (SmartDnnQuantizer.negative(w)) {
                    negAbs[nn++] = -w;
                    sumN -= w;
                } else {
                    posAbs[np++] = w;
                    sumP += w;
                }
            }
            if (statistic == Statistic.MEAN) {
                pos[g] = np == 0 ? 0 : (float) (sumP / np);
                neg[g] = nn == 0 ? 0 : (float) (sumN / nn);
            } else {
                pos[g] = np == 0 ? 0 : FloatSelect.select(posAbs, 0, np, np / 2);
                neg[g] = nn == 0 ? 0 : FloatSelect.select(negAbs, 0, nn, nn / 2);
            }
        }
        return new float[][] {pos, neg};
    }

    /** Estimated size of the folded-code and the per-sign-code variant of one candidate. */
    private static List<Choice> evaluate(float[] values, Statistic statistic, int groupLength, float[][] alphas,
                                         int classes, byte[] groupClass, float step, float[] rowWidths,
                                         int rowLength) {
        float[] alphaPos = alphas[0];
        float[] alphaNeg = alphas[1];
        long[][] hist = new long[2 * classes][QuantCodes.ALPHABET]; // [2·class + sign]
        long escapes = 0;
        long unsigned = 0; // values whose sign an elided sign stream would skip
        int n = values.length;
        // Large tensors are scored on every stride-th chunk; per-value costs are scaled back up to n below.
        int stride = Math.max(1, (int) Math.ceil((double) n / SAMPLE_TARGET));
        long sampled = 0;
        for (int chunk = 0; (long) chunk * SAMPLE_CHUNK < n; chunk += stride) {
            int from = chunk * SAMPLE_CHUNK;
            int to = Math.min(n, from + SAMPLE_CHUNK);
            sampled += to - from;
            for (int i = from; i < to; i++) {
                float w = values[i];
                boolean negative = SmartDnnQuantizer.negative(w);
                int g = i / groupLength;
                float width = rowWidths == null ? step : rowWidths[i / rowLength];
                int symbol = step == 0 ? QuantCodes.ESCAPE : QuantCodes.symbol(
                        QuantCodes.bin((double) Math.abs(w) - (negative ? alphaNeg[g] : alphaPos[g]), width));
                if (symbol == QuantCodes.ESCAPE) {
                    escapes++;
                }
                if (!SmartDnnQuantizer.signed(symbol)) {
                    unsigned++;
                }
                hist[2 * groupClass[g] + (negative ? 1 : 0)][symbol]++;
            }
        }
        double scale = sampled == 0 ? 0 : (double) n / sampled;
        int groups = alphaPos.length;
        boolean zero = statistic == Statistic.ZERO;
        long fixed = (zero ? 0 : 64L * groups) + (classes > 1 ? 8L * groups : 0);
        double foldedBits = 32.0 * escapes + (zero ? sampled - unsigned : sampled);
        double perSignBits = 32.0 * escapes + sampled;
        long tables = 0;
        long foldedTables = 0;
        for (int c = 0; c < classes; c++) {
            long[] pos = hist[2 * c];
            long[] neg = hist[2 * c + 1];
            HuffmanCode codePos = HuffmanCode.forFrequencies(pos);
            HuffmanCode codeNeg = HuffmanCode.forFrequencies(neg);
            perSignBits += codePos.cost(pos) + codeNeg.cost(neg);
            tables += 8L * (codePos.tableBytes() + codeNeg.tableBytes());
            for (int s = 0; s < pos.length; s++) {
                pos[s] += neg[s];
            }
            HuffmanCode code = HuffmanCode.forFrequencies(pos);
            foldedBits += code.cost(pos);
            foldedTables += 8L * code.tableBytes();
        }
        long folded = fixed + foldedTables + Math.round(foldedBits * scale);
        long perSign = fixed + tables + Math.round(perSignBits * scale);
        return List.of(
                new Choice(new Remapping(statistic, groupLength, alphaPos, alphaNeg, classes, groupClass, false, zero),
                        folded, List.of()),
                new Choice(new Remapping(statistic, groupLength, alphaPos, alphaNeg, classes, groupClass, true, false),
                        perSign, List.of()));
    }
}
