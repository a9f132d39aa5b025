package dev.nnzip.tune;

import dev.nnzip.eval.LabeledImages;
import dev.nnzip.eval.ModelClassifier;
import dev.nnzip.eval.Top1;
import dev.nnzip.runtime.Model;

/**
 * A pessimistic estimate of a candidate's top-1 accuracy drop against the original model on unseen images, as a score:
 * {@code 100 − drop}, so the original scores 100 and the loss is the estimated drop in accuracy points.
 *
 * <p>On the calibration images, let {@code broken} be the images the original gets right and the candidate wrong, and
 * {@code fixed} the reverse. The measured drop is {@code (broken − fixed) / N}, floored at 0; the estimate adds
 * {@code z} standard errors of it, {@code z·sqrt(broken + fixed) / N} (each changed prediction is a ±1 coin on unseen
 * data). Why not the plain
 * drop: a compressed layer breaks some predictions and by chance fixes others; on a few thousand images a setting can
 * look free while it flips dozens of images, and on held-out images the luck does not repeat (measured on
 * LeNet-300-100: a 0.1-point budget on the plain drop gave 0.2 points of held-out drop). Counting broken predictions
 * only was too strict the other way (it gave up a third of the ratio). The standard-error term charges exactly for
 * the flips that make the held-out result a gamble. Measured on the reference models with a 0.1-point budget and
 * 5,000 calibration / 5,000 held-out images: z = 1 without the floor lost 0.20 points held-out on VGG; z = 2 without
 * the floor lost 0.50 on LeNet-5 (a 3-bit layer whose many flips happened to net a gain on calibration); z = 1 with the
 * floor lost 0.18 on LeNet-300-100; z = 2 with the floor ({@link #DEFAULT_Z}) kept every held-out drop within the
 * budget, at the price of ratio (LeNet-5 1.34x): a 0.1-point budget is 5 images of 5,000, the noise floor.
 */
public final class AccuracyDropBound implements QualityMetric {
    /** Standard errors added to the measured drop by default (about a 2.5 % one-sided risk). */
    public static final double DEFAULT_Z = 2.0;

    private static final int BATCH = 100;
    /** Images between early-stop checks. */
    private static final int CHUNK = 2000;

    private final LabeledImages data;
    private final int threads;
    private final boolean[] originalCorrect;
    private final double z;

    /** With {@link #DEFAULT_Z} standard errors. */
    public AccuracyDropBound(LabeledImages data, int threads, Model original) {
        this(data, threads, original, DEFAULT_Z);
    }

    /**
     * @param original the uncompressed model the drop is measured against
     * @param z        standard errors added to the measured drop (0: the plain measured drop)
     */
    public AccuracyDropBound(LabeledImages data, int threads, Model original, double z) {
        if (!(z >= 0)) {
            throw new IllegalArgumentException("z must be >= 0, was " + z);
        }
        this.z = z;
        if (data.size() == 0) {
            throw new IllegalArgumentException("no images to measure an accuracy drop on (" + data + ")");
        }
        this.data = data;
        this.threads = threads;
        this.originalCorrect = correct(original);
    }

    @Override
    public String describe() {
        return "100 - (top-1 drop + " + z + " standard errors) in points, on " + data;
    }

    @Override
    public double score(Model model) {
        return scoreAtLeast(model, Double.NEGATIVE_INFINITY);
    }

    /**
     * Stops early, after a whole chunk of {@value #CHUNK} images, once even the optimistic end of the estimate on the
     * images seen so far ({@code drop − z} standard errors) is below {@code floor}: the model has failed beyond
     * reasonable doubt, and measuring the rest would only confirm it. A model that passes is always measured on every
     * image, so the early stop never lets a candidate through.
     */
    @Override
    public double scoreAtLeast(Model model, double floor) {
        int broken = 0;
        int fixed = 0;
        int seen = 0;
        try (ModelClassifier classifier = new ModelClassifier(model, threads)) {
            for (int from = 0; from < data.size(); from += BATCH) {
                int to = Math.min(data.size(), from + BATCH);
                int[] predicted = Top1.classes(classifier.scores(data.images(from, to)));
                for (int i = 0; i < predicted.length; i++) {
                    boolean now = predicted[i] == data.label(from + i);
                    if (originalCorrect[from + i] && !now) {
                        broken++;
                    } else if (!originalCorrect[from + i] && now) {
                        fixed++;
                    }
                }
                seen = to;
                if (seen < data.size() && seen % CHUNK == 0) {
                    double optimistic = 100.0 - 100.0 * (broken - fixed - z * Math.sqrt(broken + fixed)) / seen;
                    if (optimistic < floor) {
                        return estimate(broken, fixed, seen);
                    }
                }
            }
        }
        return estimate(broken, fixed, seen);
    }

    private double estimate(int broken, int fixed, int n) {
        // Net gains (fixed > broken) count as no loss: they are the luck that does not repeat on unseen images, and
        // letting them cancel real breakage let the tuner pick a 3-bit layer on LeNet-5 that measured -0.13 points
        // on calibration and lost 0.50 on the held-out half.
        return 100.0 - 100.0 * (Math.max(0, broken - fixed) + z * Math.sqrt(broken + fixed)) / n;
    }

    private boolean[] correct(Model model) {
        boolean[] out = new boolean[data.size()];
        try (ModelClassifier classifier = new ModelClassifier(model, threads)) {
            for (int from = 0; from < data.size(); from += BATCH) {
                int to = Math.min(data.size(), from + BATCH);
                int[] predicted = Top1.classes(classifier.scores(data.images(from, to)));
                for (int i = 0; i < predicted.length; i++) {
                    out[from + i] = predicted[i] == data.label(from + i);
                }
            }
        }
        return out;
    }
}
