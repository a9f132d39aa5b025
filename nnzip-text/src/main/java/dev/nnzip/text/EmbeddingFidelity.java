package dev.nnzip.text;

import java.util.Arrays;
import java.util.Locale;

/**
 * How close a candidate model's sentence embeddings are to the original's, on the same sentences.
 *
 * <p>Per-sentence cosine (mean, median, 1st percentile, min) says how far each vector moved; nearest-neighbour
 * agreement says whether retrieval changes: for each sentence, is the most similar <i>other</i> sentence the same one
 * under both models (the fraction of sentences for which it is). Ties go to the lower index in both, so identical
 * embeddings always agree.
 *
 * @param sentences     number of sentences compared
 * @param meanCosine    mean of cos(original_i, candidate_i)
 * @param medianCosine  median (average of the two middle values for an even count)
 * @param p1Cosine      1st percentile (nearest-rank: the ceil(0.01 n)-th smallest)
 * @param minCosine     the smallest cosine
 * @param worstSentence index (0-based) of the sentence with the smallest cosine
 * @param nnAgreement   fraction of sentences whose nearest neighbour is the same under both models (NaN if n < 2)
 */
public record EmbeddingFidelity(int sentences, double meanCosine, double medianCosine, double p1Cosine,
                                double minCosine, int worstSentence, double nnAgreement) {

    public static EmbeddingFidelity compare(float[][] original, float[][] candidate) {
        if (original.length != candidate.length) {
            throw new IllegalArgumentException("original has " + original.length + " embeddings, candidate "
                    + candidate.length + "; both must embed the same sentences");
        }
        int n = original.length;
        if (n == 0) {
            throw new IllegalArgumentException("no sentences to compare");
        }
        double[] cos = new double[n];
        int worst = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            cos[i] = cosine(original[i], candidate[i]);
            sum += cos[i];
            if (cos[i] < cos[worst]) {
                worst = i;
            }
        }
        double[] sorted = cos.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double p1 = sorted[Math.max(0, (int) Math.ceil(0.01 * n) - 1)];
        return new EmbeddingFidelity(n, sum / n, median, p1, sorted[0], worst, nnAgreement(original, candidate));
    }

    /** cos(a, b) in double precision; 0 when either vector is zero. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embedding sizes differ: " + a.length + " vs " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    static double nnAgreement(float[][] original, float[][] candidate) {
        int n = original.length;
        if (n < 2) {
            return Double.NaN;
        }
        int[] a = nearestNeighbours(original);
        int[] b = nearestNeighbours(candidate);
        int same = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return (double) same / n;
    }

    /** For each row, the index of the most cosine-similar other row (lowest index on ties). O(n^2 d). */
    static int[] nearestNeighbours(float[][] e) {
        int n = e.length;
        int[] nn = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double c = cosine(e[i], e[j]);
                    if (c > best) {
                        best = c;
                        nn[i] = j;
                    }
                }
            }
        }
        return nn;
    }

    /** A short human-readable report. */
    public String toText() {
        return String.format(Locale.ROOT, """
                sentences            %d
                cosine mean          %.6f
                cosine median        %.6f
                cosine p1            %.6f
                cosine min           %.6f  (line %d)
                nearest-neighbour agreement %.4f""", sentences, meanCosine, medianCosine, p1Cosine, minCosine,
                worstSentence + 1, nnAgreement);
    }

    /** The same figures as one JSON object (no library needed for six numbers). */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"sentences\": %d, \"cosine_mean\": %.8f, \"cosine_median\": %.8f, "
                        + "\"cosine_p1\": %.8f, \"cosine_min\": %.8f, \"worst_line\": %d, \"nn_agreement\": %s}",
                sentences, meanCosine, medianCosine, p1Cosine, minCosine, worstSentence + 1,
                Double.isNaN(nnAgreement) ? "null" : String.format(Locale.ROOT, "%.6f", nnAgreement));
    }
}
