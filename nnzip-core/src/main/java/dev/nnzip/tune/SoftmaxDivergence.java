package dev.nnzip.tune;

import dev.nnzip.eval.LabeledImages;
import dev.nnzip.eval.ModelClassifier;
import dev.nnzip.runtime.Model;
import dev.nnzip.tensor.Tensor;

/**
 * How far a classifier's output distribution moves from the original's: the mean Kullback-Leibler divergence
 * {@code KL(p_original || p_candidate)} of the softmax of the scores, over a fixed set of images, in milli-nats. As a
 * {@link QualityMetric} the score is the negated divergence, so the original scores 0 and the loss is the divergence.
 *
 * <p>Why not top-1 flips for per-layer sensitivities: a flip is a 0/1 event of the few images near a decision
 * boundary, so on a few hundred images most layers measure exactly 0 and the rest measure noise (a compressed layer
 * "fixes" as many images by luck as it breaks). The divergence moves with every image, is measurable on few images,
 * is never negative (no lucky gains to cancel real damage) and, for small perturbations, is close to additive over
 * independently perturbed layers (it is a quadratic form in the logit perturbation to second order, Fisher
 * information), which is what the tuner's knapsack assumes. It is in its own unit, not in accuracy points: the tuner
 * uses it only to rank settings and layers, and enforces the budget on top-1 ({@link AccuracyDropBound}).
 *
 * <p>The scores are taken as logits (the reference models' outputs); a model that outputs probabilities is
 * compared through the softmax of its probabilities, still a monotone and smooth measure of change.
 */
public final class SoftmaxDivergence implements QualityMetric {
    private static final int BATCH = 100;

    private final LabeledImages data;
    private final int threads;
    /** log p_original, image after image. */
    private final double[][] originalLogProbabilities;

    /** @param original the uncompressed model the divergence is measured against */
    public SoftmaxDivergence(LabeledImages data, int threads, Model original) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("no images to measure a divergence on (" + data + ")");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.data = data;
        this.threads = threads;
        this.originalLogProbabilities = logProbabilities(original);
    }

    @Override
    public String describe() {
        return "-(mean KL divergence of the softmax from the original's, milli-nats) on " + data;
    }

    @Override
    public double score(Model model) {
        double[][] q = logProbabilities(model);
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            sum += divergence(originalLogProbabilities[i], q[i]);
        }
        return -1000.0 * sum / q.length;
    }

    /** {@code KL(p || q) = Σ p (log p − log q)} from log-probabilities; 0 when they are equal. */
    static double divergence(double[] logP, double[] logQ) {
        if (logP.length != logQ.length) {
            throw new IllegalArgumentException("the candidate has " + logQ.length + " classes, the original "
                    + logP.length);
        }
        double kl = 0;
        for (int c = 0; c < logP.length; c++) {
            double p = Math.exp(logP[c]);
            if (p > 0) {
                kl += p * (logP[c] - logQ[c]);
            }
        }
        return Math.max(0, kl); // rounding can leave -1e-17 for identical rows
    }

    /** Log-softmax of each row, computed stably (the row maximum subtracted before exponentiating). */
    static double[] logSoftmax(float[] scores, int from, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, scores[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(scores[from + c] - max);
        }
        double logSum = max + Math.log(sum);
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = scores[from + c] - logSum;
        }
        return out;
    }

    private double[][] logProbabilities(Model model) {
        double[][] out = new double[data.size()][];
        try (ModelClassifier classifier = new ModelClassifier(model, threads)) {
            for (int from = 0; from < data.size(); from += BATCH) {
                int to = Math.min(data.size(), from + BATCH);
                Tensor scores = classifier.scores(data.images(from, to));
                int classes = scores.dim(1);
                float[] f = floats(scores);
                for (int i = 0; i < to - from; i++) {
                    out[from + i] = logSoftmax(f, i * classes, classes);
                }
            }
        }
        return out;
    }

    static float[] floats(Tensor t) {
        if (t.dtype().storage() == dev.nnzip.tensor.DType.Storage.FLOAT) {
            return t.floats();
        }
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) t.getDouble(i);
        }
        return f;
    }
}
